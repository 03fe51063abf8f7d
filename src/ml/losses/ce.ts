/** Cross-entropy with hard labels (RTK.md: every method's CE term, weight 1). */
import * as tf from '@tensorflow/tfjs';
import { fusedCrossEntropy, fusedLossesAvailable } from '../backend/fusedLosses';

/**
 * CE = −mean_b log softmax(logits)[b, y_b].
 * logits: [B,C]; labels: [B] class ids (cast to int32). Stable through `tf.logSoftmax`.
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const [b, c] = logits.shape;
    if (labels.shape[0] !== b) throw new Error(`crossEntropy: ${labels.shape[0]} labels for a batch of ${b} logits`);
    // WebGPU: one kernel forward, one backward (backend/fusedLosses.ts), the same maths.
    if (fusedLossesAvailable()) return fusedCrossEntropy(logits, labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32'));
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), c);
    const picked = tf.sum(tf.mul(onehot, tf.logSoftmax(logits)), -1); // [B] log p(y_b)
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
