/**
 * Key selection helpers for the explorer: the slider's range, and the selection per class with
 * its divergence from the overall selection (the seed's data-bias check).
 */
import type { KeySelection, ThresholdRule } from '../domain';
import { selectKeys } from '../domain';

/** A class whose kept keys are at least this Jaccard distance from the overall kept keys is flagged. */
export const SHARP_DIVERGENCE = 0.5;

/** k ∈ [1, S−1] (RTK.md step 3); with S = 1 the only choice is 1. */
export function clampK(k: number, S: number): number {
  return Math.max(1, Math.min(Math.round(k), Math.max(1, S - 1)));
}

/** A fixed threshold lies in [1/S, 1/k] for the 'afd' importance (RTK.md step 4). */
export function thresholdRange(S: number, k: number): [number, number] {
  return [1 / S, 1 / clampK(k, S)];
}

export function clampThreshold(rule: ThresholdRule, S: number, k: number): ThresholdRule {
  if (rule === 'mean') return rule;
  const [lo, hi] = thresholdRange(S, k);
  return Math.max(lo, Math.min(hi, rule));
}

/** Jaccard distance 1 − |A∩B| / |A∪B| of two 0/1 masks; two empty sets are identical (0). */
export function jaccardDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`masks have ${a.length} and ${b.length} entries`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === 1;
    const y = b[i] === 1;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 0 : 1 - inter / union;
}

export interface ClassSelection {
  cls: number;
  /** False when no image of the class was in the evaluation (its attention is all zeros). */
  present: boolean;
  selection: KeySelection | null;
  distance: number;
  flagged: boolean;
}

/**
 * Selection per class from attentionPerClass [C,T,S] with the same k and threshold as the
 * overall selection, and each class's Jaccard distance to the overall kept keys.
 */
export function perClassSelection(
  attentionPerClass: ArrayLike<number>, C: number, T: number, S: number, k: number, threshold: ThresholdRule,
  overallKept: ArrayLike<number>, limit = SHARP_DIVERGENCE,
): ClassSelection[] {
  if (attentionPerClass.length !== C * T * S) {
    throw new Error(`attentionPerClass has ${attentionPerClass.length} values, expected C×T×S = ${C}×${T}×${S}`);
  }
  const out: ClassSelection[] = [];
  for (let c = 0; c < C; c++) {
    const slice = Array.prototype.slice.call(attentionPerClass, c * T * S, (c + 1) * T * S) as number[];
    const present = slice.some((v) => v !== 0);
    if (!present) {
      out.push({ cls: c, present, selection: null, distance: 0, flagged: false });
      continue;
    }
    const selection = selectKeys(slice, T, S, k, threshold);
    const distance = jaccardDistance(selection.kept, overallKept);
    out.push({ cls: c, present, selection, distance, flagged: distance >= limit });
  }
  return out;
}
