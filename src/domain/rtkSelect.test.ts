import { describe, expect, it } from 'vitest';
import { influenceFromAttention, keptMask, selectKeys, thresholdValue, topKMean } from './rtkSelect';

// T = 3 keys × S = 4 students, rows sum to 1.
const attention = [
  0.7, 0.1, 0.1, 0.1,
  0.25, 0.25, 0.25, 0.25,
  0.4, 0.4, 0.1, 0.1,
];

describe('rtkSelect (pure key selection)', () => {
  it('topKMean averages the k largest values and clamps k to [1, n]', () => {
    expect(topKMean([3, 1, 2], 2)).toBe(2.5);
    expect(topKMean([3, 1, 2], 0)).toBe(3);
    expect(topKMean([3, 1, 2], 9)).toBe(2);
    expect(topKMean(new Float32Array([0.5, 0.25]), 1)).toBe(0.5);
  });

  it('influence is the top-k mean of each key row; bad sizes are named', () => {
    expect(influenceFromAttention(attention, 3, 4, 1)).toEqual([0.7, 0.25, 0.4]);
    const k2 = influenceFromAttention(new Float32Array(attention), 3, 4, 2);
    [0.4, 0.25, 0.4].forEach((v, i) => expect(k2[i]).toBeCloseTo(v, 6));
    expect(() => influenceFromAttention(attention, 3, 3, 1)).toThrow(/expected T×S = 3×3/);
  });

  it('threshold is the mean influence or the fixed value', () => {
    expect(thresholdValue([0.7, 0.25, 0.4], 'mean')).toBeCloseTo(0.45, 12);
    expect(thresholdValue([0.7, 0.25, 0.4], 0.3)).toBe(0.3);
    expect(thresholdValue([], 'mean')).toBe(0);
  });

  it('keeps keys strictly above τ, or the most influential one when none passes', () => {
    expect(keptMask([0.7, 0.25, 0.4], 0.45)).toEqual([1, 0, 0]);
    expect(keptMask([0.7, 0.25, 0.4], 0.3)).toEqual([1, 0, 1]);
    expect(keptMask([0.2, 0.5, 0.5], 0.9)).toEqual([0, 1, 0]); // first of the tied maxima
    expect(keptMask([0.25, 0.25], 0.25)).toEqual([1, 0]); // equal influences never pass 'mean'
    expect(keptMask([], 0)).toEqual([]);
  });

  it('selectKeys redraws the selection for any (k, τ) without retraining', () => {
    expect(selectKeys(attention, 3, 4, 1, 'mean')).toEqual({ influence: [0.7, 0.25, 0.4], tau: expect.closeTo(0.45, 12), kept: [1, 0, 0], keptCount: 1 });
    expect(selectKeys(attention, 3, 4, 1, 0.3).kept).toEqual([1, 0, 1]);
    expect(selectKeys(attention, 3, 4, 1, 0.95).keptCount).toBe(1);
  });

});
