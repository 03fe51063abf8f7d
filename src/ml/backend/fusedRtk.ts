/**
 * RTK's key selection and loss (losses/rtk.ts `rtkLoss`, RTK.md RTK steps 2–5) as one op, on
 * backends that register its kernels (webgpuRtk.ts: WebGPU): 1 dispatch forward (importance,
 * influence, kept mask and the loss), 1 backward, instead of about 25 (top-k, means, compare,
 * max, arg-max, one-hot, products, sums and their gradients). For α, D, z [B,T,S]:
 *   A[b,n,m] = α[b,n,m] ('afd') or softmax over n of z[b,·,m] ('keys')
 *   I[b,n]   = mean of the k largest A[b,n,·]
 *   r[b,n]   = 1 if v[n] > τ else 0, v = I[b,·] ('sample') or Ī = mean_b I ('batch'),
 *              τ = mean_n v ('mean') or the fixed value; no key kept: the first arg-max of v;
 *              with `keepAll` r = 1 (AFD's loss, and RTK's warm-up)
 *   L        = w · Σ_n mean_b r[b,n]·Σ_m α[b,n,m]·D[b,n,m]
 *   dα = dL·w·r·D / B,   dD = dL·w·r·α / B     (r, I and z carry no gradient)
 */
import * as tf from '@tensorflow/tfjs';
import type { RtkOptions } from '../../domain';
import { customOp } from './customOp';

export const RTK_KERNELS = {
  /** alpha, dist, z; attrs k, rule, threshold, batch, keepAll, weight → loss [], mask [B,T], influence [B,T] */
  forward: 'RtkSelectLoss',
  /** dy, mask, alpha, dist; attrs weight → dα, dD */
  grad: 'RtkSelectLossGrad',
} as const;

/** Students (a bit mask marks the k taken) and teacher taps (a row of v per thread) one run handles. */
export const RTK_MAX_TAPS = 32;

export function fusedRtkAvailable(T: number, S: number): boolean {
  const b = tf.getBackend();
  return T <= RTK_MAX_TAPS && S <= RTK_MAX_TAPS && Object.values(RTK_KERNELS).every((k) => tf.getKernel(k, b) != null);
}

export interface FusedRtkResult { loss: tf.Scalar; mask: tf.Tensor2D; influence: tf.Tensor2D }

/**
 * L (formula above, weighted by `weight`), the kept mask r and the influence I, both [B,T] and
 * off the tape (with `keepAll` the mask is all ones and L is β·L_afd). alpha, dist [B,T,S] are
 * differentiable; z is read for 'keys' only.
 * `opts.k` is clamped to [1, S]. Needs `fusedRtkAvailable(T, S)`.
 */
export function fusedRtkLoss(alpha: tf.Tensor3D, dist: tf.Tensor3D, z: tf.Tensor3D, opts: Omit<RtkOptions, 'warmupEpochs'>, weight: number, keepAll = false): FusedRtkResult {
  const S = alpha.shape[2];
  const attrs = {
    k: Math.max(1, Math.min(Math.floor(opts.k), S)), rule: opts.importance, threshold: opts.threshold,
    batch: opts.granularity === 'batch', weight, keepAll,
  };
  let selection: tf.Tensor[] = [];
  const op = customOp((a: tf.Tensor, d: tf.Tensor, save: tf.GradSaveFunc) => {
    const [loss, mask, influence] = tf.engine().runKernel(RTK_KERNELS.forward, { alpha: a, dist: d, z }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    // Kept past this function's scope, handed to the caller's below (no tape node leads to them).
    selection = [tf.keep(mask), tf.keep(influence)];
    save([mask, a, d]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, [m, as, ds]: tf.Tensor[]) =>
        tf.engine().runKernel(RTK_KERNELS.grad, { dy, mask: m, alpha: as, dist: ds }, { weight }) as tf.Tensor[],
    };
  });
  const loss = op(alpha, dist) as tf.Scalar;
  const [mask, influence] = selection.map((t) => { const c = tf.clone(t); t.dispose(); return c as tf.Tensor2D; });
  return { loss, mask, influence };
}
