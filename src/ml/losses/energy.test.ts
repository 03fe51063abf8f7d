import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { afdDistance } from './afdValues';
import { energyMap, resizeEnergy, resizeMatrix } from './energy';
import { refAfdDistance, refEnergy, refResize } from './reference';
import { flat, randTap, relErr, rng, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** One random energy map [h][w] resized by tf, as nested arrays. */
function tfResize(e: number[][], H: number, W: number): number[][] {
  return tf.tidy(() => resizeEnergy(tf.tensor3d([e]), H, W).arraySync()[0]);
}

const randMap = (seed: number, h: number, w: number) => refEnergy(randTap(rng(seed), 1, h, w, 2))[0];

describe('resize rules (AFD step 5)', () => {
  it('7→4 is a general area average: rows of the matrix sum to 1 with the right overlaps', () => {
    const m = resizeMatrix(7, 4);
    const len = 7 / 4;
    for (let i = 0; i < 4; i++) {
      const row = Array.from(m.subarray(i * 7, i * 7 + 7));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    // Output cell 0 covers [0, 1.75): cell 0 fully, three quarters of cell 1.
    expect(m[0]).toBeCloseTo(1 / len, 6);
    expect(m[1]).toBeCloseTo(0.75 / len, 6);
    // Output cell 1 covers [1.75, 3.5): a quarter of cell 1, cell 2, half of cell 3.
    expect(Array.from(m.subarray(7, 14)).map((v) => +(v * len).toFixed(6))).toEqual([0, 0.25, 1, 0.5, 0, 0, 0]);
    const e = randMap(1, 7, 7);
    expect(relErr(flat(tfResize(e, 4, 4)), flat(refResize(e, 4, 4)))).toBeLessThan(1e-5);
    // The mean energy is preserved by an area average.
    const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean(flat(tfResize(e, 4, 4)))).toBeCloseTo(mean(flat(e)), 5);
  });

  it('14→7 is 2×2 average pooling', () => {
    const e = randMap(2, 14, 14);
    const pooled = tf.tidy(() => tf.avgPool(tf.tensor4d([e.map((r) => r.map((v) => [v]))]), 2, 2, 'valid').arraySync()[0].map((r) => r.map((p) => p[0])));
    expect(relErr(flat(tfResize(e, 7, 7)), flat(pooled))).toBeLessThan(1e-6);
    expect(relErr(flat(refResize(e, 7, 7)), flat(pooled))).toBeLessThan(1e-6);
  });

  it('7→14 is nearest replication (each cell becomes a 2×2 block)', () => {
    const e = randMap(3, 7, 7);
    const out = tfResize(e, 14, 14);
    for (let i = 0; i < 14; i++) for (let j = 0; j < 14; j++) expect(out[i][j]).toBeCloseTo(e[i >> 1][j >> 1], 6);
    expect(relErr(flat(refResize(e, 14, 14)), flat(out))).toBeLessThan(1e-6);
  });

  it('mixed axes (3×5 → 2×8) and equal sizes follow the reference', () => {
    const e = randMap(4, 3, 5);
    expect(relErr(flat(tfResize(e, 2, 8)), flat(refResize(e, 2, 8)))).toBeLessThan(1e-5);
    expect(relErr(flat(tfResize(e, 3, 5)), flat(e))).toBeLessThan(1e-7);
  });
});

describe('afdDistance (AFD step 6)', () => {
  it('matches the reference D [B,T,S] over shrinking, growing and equal sizes', () => {
    const r = rng(5);
    const tT = [randTap(r, 2, 7, 7, 3), randTap(r, 2, 4, 4, 2)];
    const sT = [randTap(r, 2, 14, 14, 2), randTap(r, 2, 7, 7, 1), randTap(r, 2, 2, 2, 4)];
    const got = tf.tidy(() => afdDistance(tT.map(toTensor4d), sT.map(toTensor4d)).arraySync());
    expect(relErr(flat(got), flat(refAfdDistance(tT, sT)))).toBeLessThan(1e-4);
  });

  it('energyMap is the channel mean of F² and nothing leaks', () => {
    const tap = randTap(rng(6), 2, 3, 3, 4);
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => energyMap(toTensor4d(tap)).arraySync());
    expect(tf.memory().numTensors).toBe(before);
    expect(relErr(flat(got), flat(refEnergy(tap)))).toBeLessThan(1e-6);
  });
});
