/**
 * AFD's attention logits and weights (losses/attention.ts) as three dispatches on backends that
 * register the kernels (webgpuAttention.ts: WebGPU), instead of about 17 composed ops:
 *   z[b,n,m] = (Σ_e Q[b,n,e]·Kb[b·S+m, n·d+e] + Π[n,m]) / √d,   α = softmax over m of z
 * (Q [B,T,d], Kb [B·S, T·d] the bilinear layer's output, Π [T,S]). z carries no gradient (RTK
 * reads it off the tape); α's gradient, with g = α·(dα − Σ_m α·dα) / √d:
 *   dQ[b,n,e] = Σ_m g[b,n,m]·Kb[b·S+m, n·d+e],  dKb[b·S+m, n·d+e] = g[b,n,m]·Q[b,n,e],  dΠ = Σ_b g.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './customOp';
import { withoutGradientOf } from './withoutGradient';

export const ATTENTION_KERNELS = { logits: 'RtkAttentionLogits', grad: 'RtkAttentionGrad' } as const;

export function fusedAttentionAvailable(): boolean {
  const b = tf.getBackend();
  return Object.values(ATTENTION_KERNELS).every((k) => tf.getKernel(k, b) != null);
}

/** z (no gradient) and α = softmax(z) (differentiable in Q, Kb and Π), both [B,T,S]. */
export function fusedAttention(Q: tf.Tensor3D, Kb: tf.Tensor2D, pi: tf.Tensor2D): { z: tf.Tensor3D; alpha: tf.Tensor3D } {
  const sqrtD = Math.sqrt(Q.shape[2]);
  const z = withoutGradientOf(() => tf.engine().runKernel(ATTENTION_KERNELS.logits, { Q, Kb, pi }, { sqrtD }) as tf.Tensor3D);
  // Π is an input so its gradient flows; α is computed from z, which already holds it.
  const op = customOp((q: tf.Tensor, k: tf.Tensor, _p: tf.Tensor, save: tf.GradSaveFunc) => {
    const alpha = tf.softmax(z);
    save([alpha, q, k]);
    return {
      value: alpha,
      gradFunc: (dAlpha: tf.Tensor, [a, qs, ks]: tf.Tensor[]) =>
        tf.engine().runKernel(ATTENTION_KERNELS.grad, { dAlpha, alpha: a, Q: qs, Kb: ks }, { sqrtD, T: pi.shape[0], S: pi.shape[1] }) as tf.Tensor[],
    };
  });
  return { z, alpha: op(Q, Kb, pi) as tf.Tensor3D };
}
