import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RtkOptions } from '../../domain';
import { refAfdLoss, refInfluence, refMask, refRtkLoss, refSoftmax } from './reference';
import { afdLoss, rtkLoss } from './rtk';
import { flat, randMatrix, relErr, rng } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// B=4 samples, T=4 teacher keys, S=5 student taps: z random, α = softmax_m z, D random ≥ 0.
const B = 4;
const T = 4;
const S = 5;
const r = rng(31);
const zArr = Array.from({ length: B }, () => randMatrix(r, T, S, -3, 3));
const aArr = zArr.map((zb) => zb.map(refSoftmax));
const dArr = Array.from({ length: B }, () => randMatrix(r, T, S, 0, 0.2));
const z = tf.tensor3d(zArr);
const alpha = tf.tensor3d(aArr);
const dist = tf.tensor3d(dArr);
afterAll(() => tf.dispose([z, alpha, dist]));

const base: RtkOptions = { importance: 'afd', k: 2, threshold: 'mean', granularity: 'sample', warmupEpochs: 0 };

function run(opts: RtkOptions, a = alpha, d = dist, zz = z) {
  return tf.tidy(() => {
    const o = rtkLoss(a, d, zz, opts);
    return { loss: o.loss.dataSync()[0], mask: o.mask.arraySync(), influence: o.influence.arraySync() };
  });
}

describe('rtkLoss against the reference', () => {
  const grid: RtkOptions[] = [];
  for (const importance of ['afd', 'keys'] as const) {
    for (const threshold of ['mean', 0.3, 0.99] as const) {
      for (const granularity of ['sample', 'batch'] as const) for (const k of [1, 2, 4]) grid.push({ importance, k, threshold, granularity, warmupEpochs: 0 });
    }
  }
  it.each(grid.map((o) => [`${o.importance} k=${o.k} τ=${o.threshold} ${o.granularity}`, o] as const))('%s', (_, opts) => {
    const got = run(opts);
    const ref = refRtkLoss(aArr, dArr, zArr, opts);
    expect(got.mask).toEqual(ref.mask);
    expect(relErr(flat(got.influence), flat(ref.influence))).toBeLessThan(1e-5);
    expect(relErr([got.loss], [ref.loss])).toBeLessThan(1e-4);
  });

  it('afdLoss = Σ_n mean_b Σ_m α·D', () => {
    const got = tf.tidy(() => afdLoss(alpha, dist).dataSync()[0]);
    expect(relErr([got], [refAfdLoss(aArr, dArr)])).toBeLessThan(1e-5);
  });
});

describe('RTK options do what RTK.md says', () => {
  it("'mean' keeps exactly the above-average keys of each sample", () => {
    const { mask, influence } = run(base);
    influence.forEach((row, b) => {
      const mean = row.reduce((x, y) => x + y, 0) / T;
      expect(mask[b]).toEqual(row.map((v) => (v > mean ? 1 : 0)));
    });
    expect(flat(mask)).toContain(0);
  });

  it('a fixed threshold is compared with I directly; 1/S keeps every non-uniform key, a low one = AFD', () => {
    const low = run({ ...base, k: 1, threshold: 1 / S });
    expect(flat(low.mask).every((m) => m === 1)).toBe(true); // max of a non-uniform softmax > 1/S
    const all = run({ ...base, threshold: -1 });
    expect(relErr([all.loss], [refAfdLoss(aArr, dArr)])).toBeLessThan(1e-5);
    const meanRule = run(base);
    expect(meanRule.loss).toBeLessThan(all.loss);
  });

  it('keep-at-least-one: when no key passes, only the most influential one is kept', () => {
    const none = run({ ...base, k: 1, threshold: 1 }); // I ≤ 1 always, nothing passes
    none.mask.forEach((row, b) => {
      expect(row.reduce((x, y) => x + y, 0)).toBe(1);
      expect(row.indexOf(1)).toBe(none.influence[b].indexOf(Math.max(...none.influence[b])));
    });
  });

  it("'batch' averages I over the batch first and shares one mask", () => {
    const batch = run({ ...base, granularity: 'batch' });
    const sample = run(base);
    batch.mask.forEach((row) => expect(row).toEqual(batch.mask[0]));
    const avg = Array.from({ length: T }, (_, n) => sample.influence.reduce((x, row) => x + row[n], 0) / B);
    const mean = avg.reduce((x, y) => x + y, 0) / T;
    expect(batch.mask[0]).toEqual(avg.map((v) => (v > mean ? 1 : 0)));
    expect(batch.mask).not.toEqual(sample.mask);
    expect(batch.influence).toEqual(sample.influence); // influence is reported per sample either way
  });

  it("'keys' ranks keys by softmax over n of z (columns of A_b sum over n to 1)", () => {
    const ts = run({ ...base, importance: 'keys', k: S });
    // With k = S, I[b,n] = mean_m softmax_n(z[b,·,m]), so Σ_n I[b,n] = 1.
    ts.influence.forEach((row) => expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5));
    const afd = run({ ...base, k: S });
    afd.influence.forEach((row) => row.forEach((v) => expect(v).toBeCloseTo(1 / S, 5))); // rows of α sum to 1
    expect(relErr(flat(ts.influence), flat(refInfluence(aArr, zArr, 'keys', S)))).toBeLessThan(1e-5);
    expect(ts.influence).not.toEqual(afd.influence);
    expect(run({ ...base, importance: 'keys' }).mask).toEqual(refMask(refInfluence(aArr, zArr, 'keys', 2), 'mean', 'sample'));
  });

  it('larger k averages more entries, so the influences flatten towards 1/S', () => {
    const spread = (k: number) => {
      const inf = flat(run({ ...base, k }).influence);
      return Math.max(...inf) - Math.min(...inf);
    };
    expect(spread(1)).toBeGreaterThan(spread(3));
  });
});

describe('the RTK mask is data, not part of the graph', () => {
  it('mask and influence carry no gradient; dL/dα = r·D / B exactly', () => {
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(rtkLoss(a as tf.Tensor3D, dist, z, base).mask))(alpha)).toThrow(/Cannot compute gradient/);
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(rtkLoss(a as tf.Tensor3D, dist, z, base).influence))(alpha)).toThrow(/Cannot compute gradient/);
    expect(() => tf.grad((zz: tf.Tensor) => rtkLoss(alpha, dist, zz as tf.Tensor3D, { ...base, importance: 'keys' }).loss)(z)).toThrow(/Cannot compute gradient/);
    const g = tf.tidy(() => tf.grad((a: tf.Tensor) => rtkLoss(a as tf.Tensor3D, dist, z, base).loss)(alpha).arraySync() as number[][][]);
    const mask = run(base).mask;
    const expected = dArr.map((db, b) => db.map((row, n) => row.map((v) => (mask[b][n] * v) / B)));
    expect(relErr(flat(g), flat(expected))).toBeLessThan(1e-6);
  });

  it('leaks no tensor', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      rtkLoss(alpha, dist, z, { ...base, granularity: 'batch', threshold: 1 });
      afdLoss(alpha, dist);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
