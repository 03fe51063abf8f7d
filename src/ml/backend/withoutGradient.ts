/**
 * The value of `fn()` cut from the gradient tape (the backend's copy of losses/stopGradient.ts's
 * `withoutGradient`, which backend code may not import): a tf.customGrad with no tensor inputs.
 */
import * as tf from '@tensorflow/tfjs';

export function withoutGradientOf<T extends tf.Tensor>(fn: () => T): T {
  const op = tf.customGrad(() => ({ value: tf.tidy(fn), gradFunc: () => [] }));
  return op() as T;
}
