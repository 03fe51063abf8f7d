import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeatureAttention } from './attention';
import { refAfdDistance, refAttentionLogits, refGap, refParamsFromWeights } from './reference';
import { afdFixture, flat, relErr, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const fx = afdFixture();
const tC = fx.tShapes.map((s) => s[2]);
const sC = fx.sShapes.map((s) => s[2]);
const tTens = fx.tT.map(toTensor4d);
const sTens = fx.sT.map(toTensor4d);
afterAll(() => tf.dispose([...tTens, ...sTens]));

function refFor(att: FeatureAttention) {
  return refParamsFromWeights(att.weightNames, att.getWeights(), fx.d, tC, sC);
}

describe('FeatureAttention', () => {
  it('forward (training, batch statistics) matches the reference z, α, D', () => {
    const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 1);
    const p = refFor(att);
    const got = tf.tidy(() => {
      const o = att.forward(tTens, sTens, true);
      return { z: o.z.arraySync(), alpha: o.alpha.arraySync(), dist: o.dist.arraySync() };
    });
    const ref = refAttentionLogits(fx.tT, fx.sT, p, true);
    expect(relErr(flat(got.z), flat(ref.z))).toBeLessThan(1e-4);
    expect(relErr(flat(got.alpha), flat(ref.alpha))).toBeLessThan(1e-4);
    expect(relErr(flat(got.dist), flat(refAfdDistance(fx.tT, fx.sT)))).toBeLessThan(1e-4);
    for (const rowSum of flat(got.alpha.map((b) => b.map((r) => r.reduce((a, c) => a + c, 0))))) expect(rowSum).toBeCloseTo(1, 5);
    att.dispose();
  });

  it('forward (eval, moving statistics) matches the reference and leaves the statistics alone', () => {
    const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 2);
    const w = att.getWeights().map((a, i) => {
      const name = att.weightNames[i];
      if (name.endsWith('movingMean')) return a.map((_, j) => 0.1 * Math.sin(j + i));
      if (name.endsWith('movingVar')) return a.map((_, j) => 0.5 + 0.3 * Math.cos(j * i));
      return a;
    });
    att.setWeights(w);
    const got = tf.tidy(() => att.forward(tTens, sTens, false).z.arraySync());
    expect(relErr(flat(got), flat(refAttentionLogits(fx.tT, fx.sT, refFor(att), false).z))).toBeLessThan(1e-4);
    expect(att.getWeights().map((a) => Array.from(a))).toEqual(w.map((a) => Array.from(a)));
    att.dispose();
  });

  it('updates BN moving averages in training only, outside the trainable list', () => {
    const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 3);
    const { T, S } = att;
    expect(att.variables.length).toBe(3 * (T + S + 1) + 2);
    expect(att.variables.every((v) => v.trainable)).toBe(true);
    const W = att.query[0].W.arraySync() as number[][];
    const h = refGap(fx.tT[0]).map((g) => W[0].map((_, o) => g.reduce((a, x, i) => a + x * W[i][o], 0)));
    tf.tidy(() => {
      att.forward(tTens, sTens, true);
    });
    const mm = Array.from(att.query[0].movingMean.dataSync());
    const batchMean = h[0].map((_, o) => h.reduce((a, r) => a + r[o], 0) / h.length);
    expect(relErr(mm, batchMean.map((m) => 0.1 * m))).toBeLessThan(1e-5);
    tf.tidy(() => {
      att.forward(tTens, sTens, false);
    });
    expect(relErr(Array.from(att.query[0].movingMean.dataSync()), mm)).toBe(0);
    att.dispose();
  });

  it('is seeded, round-trips its weights and names the problem on a bad checkpoint', () => {
    const a = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 5);
    const b = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 5);
    const c = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 6);
    const flatW = (x: FeatureAttention) => x.getWeights().flatMap((w) => Array.from(w));
    expect(flatW(a)).toEqual(flatW(b));
    expect(flatW(a)).not.toEqual(flatW(c));
    c.setWeights(a.getWeights());
    expect(flatW(c)).toEqual(flatW(a));
    expect(() => c.setWeights(a.getWeights().slice(1))).toThrow(/expected/);
    const bad = a.getWeights();
    bad[0] = new Float32Array(1);
    expect(() => c.setWeights(bad)).toThrow(/q0\/W/);
    expect(() => a.forward(sTens, sTens, true)).toThrow(/teacher/);
    [a, b, c].forEach((x) => x.dispose());
  });

  it('sends no gradient into the teacher taps', () => {
    const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 7);
    const f = (t0: tf.Tensor, t1: tf.Tensor) => {
      const o = att.forward([t0, t1] as tf.Tensor4D[], sTens, true);
      return tf.sum(tf.mul(o.alpha, o.dist));
    };
    expect(() => tf.grads(f)(tTens)).toThrow(/Cannot compute gradient/);
    // As variables in a training step, the teacher taps get no gradient entry at all.
    const tVars = tTens.map((t, i) => tf.variable(t, true, `teacher-tap-${i}`));
    const { value, grads } = tf.variableGrads(() => {
      const o = att.forward(tVars, sTens, true);
      return tf.sum(tf.mul(o.alpha, o.dist)) as tf.Scalar;
    }, [...att.variables, ...tVars]);
    expect(Object.keys(grads)).toEqual(att.variables.map((v) => v.name));
    tf.dispose([value, ...Object.values(grads), ...tVars]);
    att.dispose();
  });

  it('leaks no tensor across a forward pass or a gradient step', () => {
    const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 8);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      att.forward(tTens, sTens, true);
    });
    expect(tf.memory().numTensors).toBe(before);
    const { value, grads } = tf.variableGrads(() => {
      const o = att.forward(tTens, sTens, true);
      return tf.sum(tf.mul(o.alpha, o.dist)) as tf.Scalar;
    }, att.variables);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    att.dispose();
  });
});
