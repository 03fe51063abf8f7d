/**
 * Cross-entropy and Hinton KD of logits as single ops with their own gradients, on backends that
 * register their kernels (webgpuLosses.ts: WebGPU only). The maths of losses/ce.ts and kd.ts:
 *   CE = −Σ_b log softmax(x_b)[y_b] / B,          ∂CE/∂x = (softmax(x) − onehot(y)) / B
 *   KD = scale·Σ_b Σ_c pt·(log pt − log ps) / B,   pt = softmax(t/τ), ps = softmax(s/τ)
 *        ∂KD/∂s = scale/(B·τ)·(ps·Σ_c pt − pt)    (the teacher logits get no gradient)
 * (x [B,C] logits, y [B] int32 labels, scale = α·τ²). A label outside [0, C) contributes 0 to
 * CE and its gradient, as tf.oneHot's zero row does.
 * And, without gradient (the teacher's side of AFD), the L2-normalised energy map of a tap
 * (losses/energy.ts): e[b,p] = mean_c F[b,p,c]², v[b,·] = e[b,·] / √(Σ_p e[b,p]² + ε).
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './customOp';

export const LOSS_KERNELS = {
  /** logits, labels → loss [], probs [B,C] */
  ce: 'RtkSoftmaxCrossEntropy',
  /** dy, probs, labels → dlogits */
  ceGrad: 'RtkSoftmaxCrossEntropyGrad',
  /** student, teacher; attrs tau, scale → loss [], G [B,C] */
  kd: 'RtkKdLoss',
  /** dy, G; attrs k → dy·k·G */
  scaleGrad: 'RtkScaleGrad',
  /** x [B,H,W,C]; attrs epsilon → L2-normalised energy map [B,H·W] (no gradient) */
  energy: 'RtkNormalizedEnergy',
} as const;

/** Whether the active backend has the fused loss kernels (webgpu once they are registered). */
export function fusedLossesAvailable(): boolean {
  const b = tf.getBackend();
  return Object.values(LOSS_KERNELS).every((k) => tf.getKernel(k, b) != null);
}

/** CE of logits [B,C] against int32 labels [B] (formula above). Needs `fusedLossesAvailable()`. */
export function fusedCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const run = customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
    const [loss, probs] = tf.engine().runKernel(LOSS_KERNELS.ce, { logits: x, labels }) as tf.Tensor[];
    save([probs]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, [p]: tf.Tensor[]) => tf.engine().runKernel(LOSS_KERNELS.ceGrad, { dy, probs: p, labels }) as tf.Tensor,
    };
  });
  return run(logits) as tf.Scalar;
}

/** KD of student logits against teacher logits (no gradient to the teacher), scale = α·τ². */
export function fusedKd(student: tf.Tensor2D, teacher: tf.Tensor2D, tau: number, scale: number): tf.Scalar {
  const k = scale / (student.shape[0] * tau);
  const run = customOp((s: tf.Tensor, save: tf.GradSaveFunc) => {
    const [loss, G] = tf.engine().runKernel(LOSS_KERNELS.kd, { student: s, teacher }, { tau, scale }) as tf.Tensor[];
    save([G]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, [g]: tf.Tensor[]) => tf.engine().runKernel(LOSS_KERNELS.scaleGrad, { dy, G: g }, { k }) as tf.Tensor,
    };
  });
  return run(student) as tf.Scalar;
}

/**
 * L2-normalised energy map [B,H·W] of x [B,H,W,C] in one kernel, with no gradient: only for
 * values off the tape (wrap in withoutGradient). Needs `fusedLossesAvailable()`.
 */
export function fusedNormalizedEnergy(x: tf.Tensor4D, epsilon: number): tf.Tensor2D {
  return tf.engine().runKernel(LOSS_KERNELS.energy, { x }, { epsilon }) as tf.Tensor2D;
}
