import { describe, expect, it } from 'vitest';
import { clampK, clampThreshold, jaccardDistance, nextBoundary, sliderRange, thresholdRange } from './selection';
import { selectKeys } from '../domain';

describe('selection ranges', () => {
  it('k stays in [1, S−1]', () => {
    expect(clampK(0, 4)).toBe(1);
    expect(clampK(9, 4)).toBe(3);
    expect(clampK(2, 1)).toBe(1);
  });
  it('a fixed threshold stays in [1/S, 1/k]; "mean" passes through', () => {
    expect(thresholdRange(4, 2)).toEqual([0.25, 0.5]);
    expect(clampThreshold(0.9, 4, 2)).toBe(0.5);
    expect(clampThreshold(0.1, 4, 2)).toBe(0.25);
    expect(clampThreshold(0.3, 4, 2)).toBe(0.3);
    expect(clampThreshold('mean', 4, 2)).toBe('mean');
  });
});

describe('jaccardDistance', () => {
  it('is 0 for equal sets, 1 for disjoint ones, |A△B|/|A∪B| otherwise', () => {
    expect(jaccardDistance([1, 0, 1], [1, 0, 1])).toBe(0);
    expect(jaccardDistance([1, 0, 0], [0, 1, 0])).toBe(1);
    expect(jaccardDistance([1, 1, 0], [1, 0, 1])).toBeCloseTo(2 / 3);
    expect(jaccardDistance([0, 0], [0, 0])).toBe(0);
    expect(() => jaccardDistance([1], [1, 0])).toThrow(/1 and 2/);
  });
});

describe('the slider track and its key-to-key steps', () => {
  const influence = [0.21, 0.09, 0.15, 0.14, 0.54, 0.35];
  it('spans the run\'s influences: all keys kept at the bottom, one at the top', () => {
    const [lo, hi] = sliderRange(influence);
    expect(lo).toBeLessThan(0.09);
    expect(hi).toBe(0.54);
    expect(selectKeys(influence.map((v) => [v]).flat(), 6, 1, 1, lo).keptCount).toBe(6);
    expect(selectKeys(influence.map((v) => [v]).flat(), 6, 1, 1, hi).keptCount).toBe(1);
  });
  it('steps from one key\'s boundary to the next, one key leaving per step', () => {
    const range = sliderRange(influence);
    let tau = range[0];
    const counts: number[] = [];
    for (;;) {
      counts.push(selectKeys(influence, 6, 1, 1, tau).keptCount);
      const next = nextBoundary(influence, tau, 1, range);
      if (next === null) break;
      tau = next;
    }
    expect(counts).toEqual([6, 5, 4, 3, 2, 1]);
    expect(nextBoundary(influence, 0.35, -1, range)).toBe(0.21);
    expect(nextBoundary(influence, range[0], -1, range)).toBeNull();
  });
  it("a fixed threshold of the 'keys' rule lies in [0, 1]", () => {
    expect(thresholdRange(6, 2, 'keys')).toEqual([0, 1]);
    expect(clampThreshold(0.05, 6, 2, 'keys')).toBe(0.05);
  });
});
