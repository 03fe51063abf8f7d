/**
 * Deterministic fixtures for this folder's tests (seeded random logits and taps as nested
 * arrays for the references, and their tensors). Not used by the app.
 */
import * as tf from '@tensorflow/tfjs';
import { makeRng } from '../data/batches';
import type { TapShape } from '../types';
import type { Tap } from './reference';

/** Seeded generator in [0,1) (the data pipeline's mulberry32). */
export const rng = (seed: number): (() => number) => makeRng(seed);

/** [rows][cols] uniform in [lo, hi). */
export function randMatrix(r: () => number, rows: number, cols: number, lo = -2, hi = 2): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => lo + (hi - lo) * r()));
}

/** A post-ReLU-like tap [B][H][W][C]: uniform in [0, 1) with about 1 value in 5 set to 0. */
export function randTap(r: () => number, B: number, H: number, W: number, C: number): Tap {
  return Array.from({ length: B }, () => Array.from({ length: H }, () => Array.from({ length: W }, () =>
    Array.from({ length: C }, () => (r() < 0.2 ? 0 : r())))));
}

/** [H,W,C] of a nested tap. */
export const tapShape = (t: Tap): TapShape => [t[0].length, t[0][0].length, t[0][0][0].length];

export const toTensor4d = (t: Tap): tf.Tensor4D => tf.tensor4d(t);

/** Nested array → flat number[] (row-major). */
export function flat(x: unknown): number[] {
  return Array.isArray(x) ? x.flatMap((v) => flat(v)) : [x as number];
}

/** max |a − b| / max(max |b|, floor), for tolerance checks. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  if (a.length !== b.length) throw new Error(`relErr: lengths ${a.length} and ${b.length} differ`);
  let num = 0;
  let den = floor;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i] - b[i]));
    den = Math.max(den, Math.abs(b[i]));
  }
  return num / den;
}

/** A small AFD problem: B=3, teacher taps 4×4×3 and 2×2×4, student taps 4×4×2, 3×3×2, 2×2×3, d=4. */
export function afdFixture(seed = 11): { tT: Tap[]; sT: Tap[]; tShapes: TapShape[]; sShapes: TapShape[]; d: number } {
  const r = rng(seed);
  const tT = [randTap(r, 3, 4, 4, 3), randTap(r, 3, 2, 2, 4)];
  const sT = [randTap(r, 3, 4, 4, 2), randTap(r, 3, 3, 3, 2), randTap(r, 3, 2, 2, 3)];
  return { tT, sT, tShapes: tT.map(tapShape), sShapes: sT.map(tapShape), d: 4 };
}

/** Central differences of `f` with respect to every entry of `x` (float64, perturbed in place). */
export function fdGradient(f: () => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    x[i] = v + h;
    const fp = f();
    x[i] = v - h;
    const fm = f();
    x[i] = v;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

/** Central differences with respect to every entry of a nested tap (perturbed in place). */
export function fdGradientTap(f: () => number, tap: Tap, h = 1e-6): number[] {
  const g: number[] = [];
  for (const img of tap) for (const row of img) for (const px of row) {
    for (let c = 0; c < px.length; c++) {
      const v = px[c];
      px[c] = v + h;
      const fp = f();
      px[c] = v - h;
      const fm = f();
      px[c] = v;
      g.push((fp - fm) / (2 * h));
    }
  }
  return g;
}
