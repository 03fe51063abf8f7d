/**
 * Key selection helpers for the explorer: k and threshold ranges, the slider's track scaled to
 * the run's influences and its key-to-key steps, and the selection shown with its uncertainty
 * (the per-class bias check is `biasCheck` in src/domain/keyEvidence.ts).
 */
import type { ImportanceRule, ThresholdRule } from '../domain';
import { jaccardDistance, SHARP_DIVERGENCE } from '../domain';

export { jaccardDistance, SHARP_DIVERGENCE };

/** k ∈ [1, S−1] (RTK.md step 3); with S = 1 the only choice is 1. */
export function clampK(k: number, S: number): number {
  return Math.max(1, Math.min(Math.round(k), Math.max(1, S - 1)));
}

/** A fixed threshold lies in [1/S, 1/k] for the 'afd' importance and in [0, 1] for 'keys' (RTK.md step 4). */
export function thresholdRange(S: number, k: number, rule: ImportanceRule = 'afd'): [number, number] {
  return rule === 'keys' ? [0, 1] : [1 / S, 1 / clampK(k, S)];
}

export function clampThreshold(rule: ThresholdRule, S: number, k: number, importance: ImportanceRule = 'afd'): ThresholdRule {
  if (rule === 'mean') return rule;
  const [lo, hi] = thresholdRange(S, k, importance);
  return Math.max(lo, Math.min(hi, rule));
}

/**
 * The fixed-threshold slider's track, scaled to the influences the run produced: from just below
 * the smallest (every key kept) to the largest (only the most influential kept), so each key
 * drops out at its own place along it.
 */
export function sliderRange(influence: ArrayLike<number>): [number, number] {
  const v = Array.from(influence);
  if (!v.length) return [0, 1];
  const lo = Math.min(...v);
  const hi = Math.max(...v);
  const pad = Math.max((hi - lo) * 0.04, 1e-4);
  return [Math.max(0, lo - pad), hi];
}

/**
 * The next threshold position from τ in direction dir (+1 up, −1 down) where a key changes side:
 * each key's influence but the largest (at τ = I_n key n is dropped) and the track's bottom.
 * Null at either end.
 */
export function nextBoundary(influence: ArrayLike<number>, tau: number, dir: 1 | -1, range: [number, number]): number | null {
  const eps = 1e-9;
  // Above the second-largest influence only the most influential key is kept, however high τ goes.
  const sorted = Array.from(influence).sort((a, b) => a - b).slice(0, -1);
  const stops = [range[0], ...sorted.filter((v) => v >= range[0] && v <= range[1])];
  if (dir > 0) return stops.find((v) => v > tau + eps) ?? null;
  for (let i = stops.length - 1; i >= 0; i--) if (stops[i] < tau - eps) return stops[i];
  return null;
}

