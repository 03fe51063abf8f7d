import { describe, expect, it } from 'vitest';
import type { Split } from '../types';
import { classBalance, fillBatch, makeRng, shuffledIndices, splitTrainVal } from './batches';

describe('makeRng / shuffledIndices', () => {
  it('mulberry32 is deterministic per seed and in [0, 1)', () => {
    const a = makeRng(42), b = makeRng(42), c = makeRng(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5)).toBeLessThan(0.05);
  });

  it('shuffledIndices is a permutation', () => {
    const p = shuffledIndices(500, makeRng(1));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 500 }, (_, i) => i));
  });
});

describe('splitTrainVal', () => {
  it('is deterministic, disjoint, complete and sized by valFraction', () => {
    const a = splitTrainVal(1000, 0.1, 7);
    const b = splitTrainVal(1000, 0.1, 7);
    expect(a.trainIdx).toEqual(b.trainIdx);
    expect(a.valIdx).toEqual(b.valIdx);
    expect(a.valIdx.length).toBe(100);
    expect(a.trainIdx.length).toBe(900);
    const all = new Set([...a.trainIdx, ...a.valIdx]);
    expect(all.size).toBe(1000);
    expect(splitTrainVal(1000, 0.1, 8).valIdx).not.toEqual(a.valIdx);
    expect(splitTrainVal(10, 0, 1).valIdx.length).toBe(0);
    expect(() => splitTrainVal(10, 1, 1)).toThrow(RangeError);
  });
});

describe('fillBatch / classBalance', () => {
  // 3 images of 2×2×1: image i has pixels i*4 .. i*4+3.
  const split: Split = { images: Uint8Array.from({ length: 12 }, (_, i) => i * 20), labels: Uint8Array.from([2, 0, 2]), count: 3 };

  it('writes normalised NHWC pixels and labels for the chosen indices', () => {
    const out = new Float32Array(8).fill(-1);
    const labels = new Int32Array(2).fill(-1);
    fillBatch(split, [9, 2, 0, 5], 1, 2, 255, out, labels);
    expect(Array.from(out)).toEqual([160, 180, 200, 220, 0, 20, 40, 60].map((v) => Math.fround(v * (1 / 255))));
    expect(Array.from(labels)).toEqual([2, 2]);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
  });

  it('refuses ranges past the indices and indices outside the split', () => {
    const out = new Float32Array(8);
    const labels = new Int32Array(2);
    expect(() => fillBatch(split, [0, 1], 1, 2, 255, out, labels)).toThrow(RangeError);
    expect(() => fillBatch(split, [0, 3], 0, 2, 255, out, labels)).toThrow(/outside the split/);
  });

  it('classBalance counts images per class', () => {
    expect(classBalance(split, 3)).toEqual([1, 0, 2]);
  });
});
