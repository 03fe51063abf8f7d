import { describe, expect, it } from 'vitest';
import { clampK, clampThreshold, jaccardDistance, perClassSelection, thresholdRange } from './selection';
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

describe('perClassSelection', () => {
  // C = 3 classes, T = 3 keys, S = 2 students.
  const T = 3, S = 2;
  const agree = [0.9, 0.1, 0.5, 0.5, 0.6, 0.4]; // influence (k=1) 0.9, 0.5, 0.6 → mean 0.667 → keeps key 0
  const differ = [0.5, 0.5, 0.95, 0.05, 0.55, 0.45]; // 0.5, 0.95, 0.55 → keeps key 1
  const empty = [0, 0, 0, 0, 0, 0];
  const perClass = [...agree, ...differ, ...empty];
  const overall = selectKeys(agree, T, S, 1, 'mean').kept;

  it('recomputes each class with the same k and threshold', () => {
    const rows = perClassSelection(perClass, 3, T, S, 1, 'mean', overall);
    expect(rows[0].selection!.kept).toEqual([1, 0, 0]);
    expect(rows[1].selection!.kept).toEqual([0, 1, 0]);
    expect(rows[0].distance).toBe(0);
    expect(rows[1].distance).toBe(1);
    expect(rows.map((r) => r.flagged)).toEqual([false, true, false]);
  });

  it('marks a class without images as absent instead of flagging it', () => {
    const rows = perClassSelection(perClass, 3, T, S, 1, 'mean', overall);
    expect(rows[2]).toMatchObject({ present: false, selection: null, flagged: false });
  });

  it('follows a fixed threshold', () => {
    const rows = perClassSelection(perClass, 3, T, S, 1, 0.52, overall);
    expect(rows[0].selection!.kept).toEqual([1, 0, 1]);
    expect(rows[0].distance).toBeCloseTo(0.5);
    expect(rows[0].flagged).toBe(true);
  });

  it('refuses a matrix of the wrong size', () => {
    expect(() => perClassSelection([1, 2], 3, T, S, 1, 'mean', overall)).toThrow(/C×T×S = 3×3×2/);
  });
});
