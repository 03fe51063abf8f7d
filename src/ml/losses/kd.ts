/** Hinton knowledge distillation (RTK.md "kd"): the weighted soft-label term only. */
import * as tf from '@tensorflow/tfjs';
import type { KdOptions } from '../../domain';
import { fusedKd, fusedLossesAvailable } from '../backend/fusedLosses';
import { stopGradient } from './stopGradient';

/**
 * L_kd = α·τ²·mean_b KL(p_t ‖ p_s),  p_t = softmax(t/τ), p_s = softmax(s/τ),
 * KL(p_t ‖ p_s) = Σ_c p_t[c]·(log p_t[c] − log p_s[c]).
 * studentLogits, teacherLogits: [B,C]. The teacher logits are cut from the tape.
 */
export function kdLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, opts: KdOptions): tf.Scalar {
  return tf.tidy(() => {
    const { alpha, tau } = opts;
    // WebGPU: one kernel forward, one backward (backend/fusedLosses.ts), the same maths.
    if (fusedLossesAvailable()) return fusedKd(studentLogits, stopGradient(teacherLogits), tau, alpha * tau * tau);
    const logPt = tf.logSoftmax(tf.div(stopGradient(teacherLogits), tau));
    const logPs = tf.logSoftmax(tf.div(studentLogits, tau));
    const kl = tf.sum(tf.mul(tf.exp(logPt), tf.sub(logPt, logPs)), -1); // [B]
    return tf.mul(tf.mean(kl), alpha * tau * tau) as tf.Scalar;
  });
}
