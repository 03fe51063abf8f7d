/**
 * Key selection as a pure function of stored attention (RTK.md steps 3–4), so the key
 * explorer can redraw the kept keys for any k and threshold without retraining.
 *
 * attention α is [T,S] row-major: row n holds how teacher key n's attention spreads over the
 * S student taps (softmax over students, rows sum to 1). With importance 'afd', column n of
 * the importance matrix A = αᵀ is exactly row n of α.
 */
import type { ThresholdRule } from './config';

/** Mean of the k largest values of `values` (k clamped to [1, values.length]). */
export function topKMean(values: ArrayLike<number>, k: number): number {
  const sorted = Array.from(values).sort((a, b) => b - a);
  const kk = Math.max(1, Math.min(Math.floor(k), sorted.length));
  let sum = 0;
  for (let i = 0; i < kk; i++) sum += sorted[i];
  return sum / kk;
}

/** Influence I[n] = mean of the top-k entries of key n's attention row. Returns [T]. */
export function influenceFromAttention(attention: ArrayLike<number>, T: number, S: number, k: number): number[] {
  if (attention.length !== T * S) {
    throw new Error(`attention has ${attention.length} values, expected T×S = ${T}×${S}`);
  }
  const out: number[] = [];
  for (let n = 0; n < T; n++) {
    out.push(topKMean(Array.prototype.slice.call(attention, n * S, (n + 1) * S) as number[], k));
  }
  return out;
}

/** τ for a threshold rule: the mean influence, or the fixed value. */
export function thresholdValue(influence: ArrayLike<number>, rule: ThresholdRule): number {
  if (rule === 'mean') {
    let s = 0;
    for (let i = 0; i < influence.length; i++) s += influence[i];
    return influence.length ? s / influence.length : 0;
  }
  return rule;
}

/** Kept mask r[n] = 1 if I[n] > τ; if none passes, the most influential key is kept. */
export function keptMask(influence: ArrayLike<number>, tau: number): number[] {
  const mask = Array.from(influence, (v) => (v > tau ? 1 : 0));
  if (mask.length && !mask.some((m) => m === 1)) {
    let best = 0;
    for (let i = 1; i < influence.length; i++) if (influence[i] > influence[best]) best = i;
    mask[best] = 1;
  }
  return mask;
}

export interface KeySelection {
  influence: number[];
  tau: number;
  kept: number[];
  keptCount: number;
}

/** Full selection for one (k, threshold) from a [T,S] attention matrix. */
export function selectKeys(attention: ArrayLike<number>, T: number, S: number, k: number, threshold: ThresholdRule): KeySelection {
  const influence = influenceFromAttention(attention, T, S, k);
  const tau = thresholdValue(influence, threshold);
  const kept = keptMask(influence, tau);
  return { influence, tau, kept, keptCount: kept.reduce((a, b) => a + b, 0) };
}
