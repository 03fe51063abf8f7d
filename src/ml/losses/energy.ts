/**
 * Spatial energy maps shared by AT and AFD (RTK.md "at", AFD step 5).
 *
 *   e(F)[b,h,w] = mean_c F[b,h,w,c]²                       F: [B,H,W,C] → [B,H,W]
 *   a = L2-normalise(flatten(e))  = e / sqrt(Σ e² + ε)      → [B,H·W]
 *
 * ε = 1e-12 inside the square root keeps the normaliser smooth for an all-zero map (a dead
 * ReLU tap) without changing any realistic value.
 *
 * Resizing an energy map [h,w] → [H,W] is separable, out = R_h · e · R_wᵀ, with one small
 * constant matrix per axis (`resizeMatrix`). It runs as a single matrix product on the flattened
 * map, out = flatten(e) · (R_h ⊗ R_w)ᵀ (`resizeOperator`, [h·w, H·W]): one 2-D matMul per
 * batch instead of two batched products and three transposes, which matters on wasm where
 * small kernels are dominated by their per-call cost. The axis rules:
 *   - shrinking (to < from): area average. Output cell i covers source interval
 *     [i·from/to, (i+1)·from/to); each source cell is weighted by its overlap with that interval
 *     divided by the interval length. For an integer factor this is exactly average pooling
 *     (14→7 = 2×2 avgPool); for a non-integer factor (7→4) it is the general area average.
 *   - growing (to > from): nearest replication, out[i] = in[floor(i·from/to)] (7→14 repeats
 *     every cell twice).
 *   - equal: identity (skipped).
 * Each axis is treated on its own, so a tap that shrinks in one axis and grows in the other is
 * handled too.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedAfdAvailable, fusedEnergyMap, fusedL2NormalizeRows } from '../backend/fusedAfd';

export const NORM_EPS = 1e-12;

/** Energy map e = mean over channels of F². [B,H,W,C] → [B,H,W]. */
export function energyMap(f: tf.Tensor4D): tf.Tensor3D {
  // WebGPU: one kernel forward and one backward (backend/fusedAfd.ts), the same maths.
  if (fusedAfdAvailable()) return fusedEnergyMap(f);
  return tf.tidy(() => tf.mean(tf.square(f), -1) as tf.Tensor3D);
}

/** Row-wise L2 normalisation x / sqrt(Σx² + ε). [B,P] → [B,P]. */
export function l2NormalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  if (fusedAfdAvailable()) return fusedL2NormalizeRows(x, NORM_EPS);
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.add(tf.sum(tf.square(x), -1, true), NORM_EPS))) as tf.Tensor2D);
}

/** a = L2-normalise(flatten(e)). [B,H,W] → [B,H·W]. */
export function normalizedEnergy(e: tf.Tensor3D): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, h, w] = e.shape;
    return l2NormalizeRows(tf.reshape(e, [b, h * w]));
  });
}

/** One axis of the resize as a [to, from] row-major matrix (area average or nearest; see top). */
export function resizeMatrix(from: number, to: number): Float32Array {
  const m = new Float32Array(to * from);
  if (to >= from) {
    for (let i = 0; i < to; i++) m[i * from + Math.floor((i * from) / to)] = 1;
    return m;
  }
  const len = from / to;
  for (let i = 0; i < to; i++) {
    const lo = i * len;
    const hi = (i + 1) * len;
    for (let j = Math.floor(lo); j < Math.min(from, Math.ceil(hi)); j++) {
      const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
      if (overlap > 0) m[i * from + j] = overlap / len;
    }
  }
  return m;
}

/**
 * The resize as one constant [h·w, H·W] matrix, (R_h ⊗ R_w)ᵀ: entry [y·w+x, i·W+j] is
 * R_h[i,y]·R_w[j,x], so flatten(out) = flatten(e) · M.
 */
export function resizeOperator(h: number, w: number, H: number, W: number): tf.Tensor2D {
  const rh = resizeMatrix(h, H);
  const rw = resizeMatrix(w, W);
  const m = new Float32Array(h * w * H * W);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const row = (y * w + x) * H * W;
      for (let i = 0; i < H; i++) {
        const a = rh[i * h + y];
        if (a === 0) continue;
        for (let j = 0; j < W; j++) m[row + i * W + j] = a * rw[j * w + x];
      }
    }
  }
  return tf.tensor2d(m, [h * w, H * W]);
}

/**
 * Resize energy maps: out[b] = R_h · e[b] · R_wᵀ. e: [B,h,w] → [B,H,W].
 * `op` is the cached matrix from `resizeOperator` (built on the fly when omitted).
 */
export function resizeEnergy(e: tf.Tensor3D, H: number, W: number, op?: tf.Tensor2D): tf.Tensor3D {
  const [b, h, w] = e.shape;
  if (h === H && w === W) return tf.clone(e);
  return tf.tidy(() => {
    const m = op ?? resizeOperator(h, w, H, W);
    return tf.reshape(tf.matMul(tf.reshape(e, [b, h * w]), m), [b, H, W]) as tf.Tensor3D;
  });
}
