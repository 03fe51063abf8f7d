/**
 * Finite-difference gradient checks of L_afd and L_rtk through the attention module, with
 * respect to the student taps and every attention parameter.
 *
 * The finite differences run in float64 through the plain-TS reference (reference.ts,
 * referenceAttention.ts), which the other tests show agrees with the tf forward pass to ~1e-6.
 * Central differences in float64 with h = 1e-6 are accurate to ~1e-9, so the comparison only
 * measures the float32 error of TF.js's analytic gradients (tolerance 1e-3 of the largest
 * entry). Doing the FD in float32 instead would need h ~ 1e-2 and a loose tolerance.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RtkOptions } from '../../domain';
import { FeatureAttention } from './attention';
import { refAfdDistance, refAfdLoss, refAttentionLogits, refParamsFromWeights, refRtkLoss } from './reference';
import { afdLoss, rtkLoss } from './rtk';
import { afdFixture, fdGradient, fdGradientTap, relErr, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let run = 0;
/**
 * Gradients here are ~1e-3..1e-2. bil/beta's true gradient is exactly 0 (it adds Q[b,n]·β_n to
 * every z[b,n,·] alike, and softmax over m ignores such shifts), so errors are measured against
 * max(max |fd|, 1e-5) rather than a vanishing scale.
 */
const FLOOR = 1e-5;

function check(kind: 'afd' | 'rtk', opts?: RtkOptions): void {
  const fx = afdFixture(21);
  const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 9);
  const w64 = att.getWeights().map((a) => Float64Array.from(a));
  const params = refParamsFromWeights(att.weightNames, w64, fx.d, fx.tShapes.map((s) => s[2]), fx.sShapes.map((s) => s[2]));
  const refLoss = () => {
    const { z, alpha } = refAttentionLogits(fx.tT, fx.sT, params, true);
    const D = refAfdDistance(fx.tT, fx.sT);
    return kind === 'afd' ? refAfdLoss(alpha, D) : refRtkLoss(alpha, D, z, opts!).loss;
  };

  const tTens = fx.tT.map(toTensor4d);
  const sVars = fx.sT.map((s, m) => tf.variable(toTensor4d(s), true, `gradcheck${run}/s${m}`));
  run++;
  const { value, grads } = tf.variableGrads(() => {
    const { alpha, dist, z } = att.forward(tTens, sVars, true);
    return kind === 'afd' ? afdLoss(alpha, dist) : rtkLoss(alpha, dist, z, opts!).loss;
  }, [...att.variables, ...sVars]);
  expect(relErr([value.dataSync()[0]], [refLoss()])).toBeLessThan(1e-4);
  if (kind === 'rtk') {
    // The case must actually drop keys, or it would only re-test AFD.
    const { z, alpha } = refAttentionLogits(fx.tT, fx.sT, params, true);
    const mask = refRtkLoss(alpha, refAfdDistance(fx.tT, fx.sT), z, opts!).mask.flat();
    expect(mask).toContain(0);
  }

  att.variables.forEach((v, i) => {
    const fd = fdGradient(refLoss, w64[i]);
    const g = grads[v.name].dataSync();
    expect(relErr(g, fd, FLOOR), `${att.weightNames[i]}`).toBeLessThan(1e-3);
  });
  sVars.forEach((v, m) => {
    const fd = fdGradientTap(refLoss, fx.sT[m]);
    expect(relErr(grads[v.name].dataSync(), fd, FLOOR), `student tap ${m}`).toBeLessThan(1e-3);
  });
  tf.dispose([value, ...Object.values(grads), ...tTens, ...sVars]);
  att.dispose();
}

describe('gradient checks (float64 central differences through the reference)', () => {
  it('L_afd with respect to student taps and attention parameters', () => check('afd'));
  it('L_rtk (importance afd, mean threshold, per sample) likewise', () =>
    check('rtk', { importance: 'afd', k: 1, threshold: 'mean', granularity: 'sample', warmupEpochs: 0 }));
  it('L_rtk (keys importance, batch granularity) likewise', () =>
    check('rtk', { importance: 'keys', k: 2, threshold: 'mean', granularity: 'batch', warmupEpochs: 0 }));
});
