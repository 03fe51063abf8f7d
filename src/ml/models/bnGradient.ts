/**
 * A leaner gradient for TF.js's FusedBatchNorm kernel (what tf.layers.batchNormalization and
 * tf.batchNorm run), with the same values as tfjs-core's.
 *
 * For y = (x − μ)·s + β with s = γ/√(σ² + ε) per channel, and per-channel sums over the
 * batch and pixel axes S1 = Σ dy and S2 = Σ dy·(x − μ):
 *   dx = dy·s,  dβ = S1,  dγ = S2/√(σ² + ε),  dμ = −s·S1,  dσ² = −½·γ·(σ² + ε)^(−3/2)·S2
 * (μ and σ² are inputs of the kernel; their own gradients flow on through tf.moments). That is
 * three full-size elementwise ops and two per-channel reductions, where the stock gradient runs
 * ten full-size ops and a tile.
 * Only per-channel statistics (μ, σ², γ of rank 1) take this route; anything else uses the
 * stock gradient.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

let stock: GradConfig | null = null;

function leanGradFunc(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap): Record<string, () => tf.Tensor> {
  const g = dy as tf.Tensor;
  const [x, mean, variance, scale] = saved;
  if (mean.rank !== 1 || variance.rank !== 1 || (scale != null && scale.rank !== 1)) {
    return stock!.gradFunc(g, saved, attrs) as Record<string, () => tf.Tensor>;
  }
  const eps = (attrs as { varianceEpsilon: number }).varianceEpsilon;
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const gamma = scale ?? tf.onesLike(mean);
  const inv = tf.rsqrt(tf.add(variance, eps)); // 1/√(σ² + ε)
  const s = tf.mul(gamma, inv);
  const s1 = tf.sum(g, axes);
  const centred = tf.sum(tf.mul(g, tf.sub(x, mean)), axes); // S2
  return {
    x: () => tf.mul(g, s),
    mean: () => tf.neg(tf.mul(s, s1)),
    variance: () => tf.mul(tf.mul(tf.mul(gamma, tf.pow(inv, 3)), -0.5), centred),
    scale: () => tf.mul(centred, inv),
    offset: () => tf.clone(s1),
  };
}

/** Replaces the FusedBatchNorm gradient (idempotent; the stock one stays as the fallback). */
export function registerLeanBatchNormGradient(): void {
  if (stock) return;
  stock = tf.getGradient('FusedBatchNorm') ?? null;
  if (!stock) throw new Error('TF.js has no gradient registered for FusedBatchNorm to replace.');
  tf.registerGradient({ kernelName: 'FusedBatchNorm', inputsToSave: stock.inputsToSave, gradFunc: leanGradFunc as GradConfig['gradFunc'] });
}

/** Puts the stock gradient back (tests compare the two). */
export function restoreStockBatchNormGradient(): void {
  if (!stock) return;
  tf.registerGradient(stock);
  stock = null;
}
