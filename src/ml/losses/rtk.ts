/**
 * RTK: representative teacher keys (RTK.md "RTK", steps 2–5), and the plain AFD loss.
 *
 * Step 2, importance matrix A_b [S,T], one column per teacher tap n (a "key"):
 *   'afd':             A_b = α_bᵀ, so column n of A_b is α[b,n,·]
 *   'keys': A_b[m,n] = softmax_n z[b,·,m], so column n is softmax_n(z)[b,n,·]
 * Step 3, influence: I[b,n] = mean of the k largest entries of column n (tf.topk),
 *   k clamped to [1,S] (RTK.md asks for 1 ≤ k ≤ S−1; the trainer enforces that).
 * Step 4, kept mask r[b,n] = 1 if I[b,n] > τ_b else 0,
 *   τ_b = mean_n I[b,n] ('mean') or the fixed value; with granularity 'batch', I is first
 *   averaged over the batch (Ī[n] = mean_b I[b,n]) and one mask is shared by every sample.
 *   If a sample (or the batch) keeps no key, its most influential key is kept (first on ties).
 *   The mask is computed in `withoutGradient`: it is data, never on the tape.
 * Step 5: L_rtk = Σ_n mean_b r[b,n]·Σ_m α[b,n,m]·D[b,n,m].
 */
import * as tf from '@tensorflow/tfjs';
import type { Granularity, ImportanceRule, RtkOptions, ThresholdRule } from '../../domain';
import { fusedRtkAvailable, fusedRtkLoss } from '../backend/fusedRtk';
import { withoutGradient } from './stopGradient';

export interface RtkResult {
  /** weight·L_rtk (weight 1 unless the caller passes β). */
  loss: tf.Scalar;
  /** Kept keys r [B,T] (0/1; rows identical for granularity 'batch'). No gradient. */
  mask: tf.Tensor2D;
  /** Per-sample influence I [B,T] (the batch mean of it is Ī for 'batch'). No gradient. */
  influence: tf.Tensor2D;
}

/**
 * weight·L_afd, L_afd = Σ_n mean_b Σ_m α[b,n,m]·D[b,n,m]. alpha, dist: [B,T,S] → scalar. On
 * WebGPU one kernel forward and one backward (RTK's, keeping every key: backend/fusedRtk.ts).
 */
export function afdLoss(alpha: tf.Tensor3D, dist: tf.Tensor3D, weight = 1): tf.Scalar {
  return tf.tidy(() => {
    if (fusedRtkAvailable(alpha.shape[1], alpha.shape[2])) return fusedRtkLoss(alpha, dist, alpha, KEEP_ALL, weight, true).loss;
    const loss = tf.div(tf.sum(tf.mul(alpha, dist)), alpha.shape[0]) as tf.Scalar;
    return weight === 1 ? loss : tf.mul(loss, weight) as tf.Scalar;
  });
}

/** Selection options that the keep-every-key loss ignores. */
const KEEP_ALL = { importance: 'afd', k: 1, threshold: 'mean', granularity: 'sample' } as const;

/** Importance columns laid out as [B,T,S] (entry [b,n,m] = A_b[m,n]). */
export function importanceColumns(alpha: tf.Tensor3D, z: tf.Tensor3D, rule: ImportanceRule): tf.Tensor3D {
  return tf.tidy(() => {
    if (rule === 'afd') return tf.clone(alpha);
    return tf.transpose(tf.softmax(tf.transpose(z, [0, 2, 1])), [0, 2, 1]) as tf.Tensor3D; // softmax over n
  });
}

/** I[b,n] = mean of the top-k entries of importance column n. [B,T,S] → [B,T]. */
export function keyInfluence(alpha: tf.Tensor3D, z: tf.Tensor3D, rule: ImportanceRule, k: number): tf.Tensor2D {
  return tf.tidy(() => {
    const S = alpha.shape[2];
    const kk = Math.max(1, Math.min(Math.floor(k), S));
    return tf.mean(tf.topk(importanceColumns(alpha, z, rule), kk).values, -1) as tf.Tensor2D;
  });
}

/** Kept mask from influence I [B,T] (see top: threshold, granularity, keep-at-least-one). */
export function keptMask(influence: tf.Tensor2D, threshold: ThresholdRule, granularity: Granularity): tf.Tensor2D {
  return tf.tidy(() => {
    const [B, T] = influence.shape;
    const inf = granularity === 'batch' ? tf.mean(influence, 0, true) : influence; // [B|1, T]
    const tau = threshold === 'mean' ? tf.mean(inf, -1, true) : tf.scalar(threshold);
    const r = tf.cast(tf.greater(inf, tau), 'float32');
    const any = tf.max(r, -1, true); // 1 if the row keeps something
    const best = tf.oneHot(tf.argMax(inf, -1), T).toFloat();
    const kept = tf.add(r, tf.mul(tf.sub(1, any), best));
    return (granularity === 'batch' ? tf.tile(kept, [B, 1]) : kept) as tf.Tensor2D;
  });
}

/**
 * alpha, dist, z: [B,T,S]. Returns weight·L_rtk, L_rtk = Σ_n mean_b r[b,n]·Σ_m α[b,n,m]·D[b,n,m]
 * (weight: the trainer's β), the mask r [B,T] and the influence I [B,T]; mask and influence carry
 * no gradient. keepAll (the warm-up): r = 1, so the loss is weight·L_afd; the influence is the
 * real one. On WebGPU all of it is one kernel forward and one backward (backend/fusedRtk.ts).
 */
export function rtkLoss(alpha: tf.Tensor3D, dist: tf.Tensor3D, z: tf.Tensor3D, opts: RtkOptions, weight = 1, keepAll = false): RtkResult {
  return tf.tidy(() => {
    if (fusedRtkAvailable(alpha.shape[1], alpha.shape[2])) {
      const { loss, mask, influence } = fusedRtkLoss(alpha, dist, z, opts, weight, keepAll);
      return { loss, mask, influence };
    }
    const influence = withoutGradient(() => keyInfluence(alpha, z, opts.importance, opts.k));
    if (keepAll) return { loss: afdLoss(alpha, dist, weight), mask: tf.onesLike(influence), influence };
    const mask = withoutGradient(() => keptMask(influence, opts.threshold, opts.granularity));
    const perKey = tf.sum(tf.mul(alpha, dist), -1); // [B,T] Σ_m α·D
    const loss = tf.div(tf.sum(tf.mul(mask, perKey)), alpha.shape[0]) as tf.Scalar;
    return { loss: weight === 1 ? loss : tf.mul(loss, weight) as tf.Scalar, mask, influence };
  });
}
