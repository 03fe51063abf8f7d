/**
 * The whole AFD attention module on WebGPU (Dawn: fused Linear+BN, attention logits and α's
 * gradient, energy maps, D) against cpu (the composed ops): z, α, D, the gradients of a loss of
 * α and D in every attention variable and every student tap, and the BN moving statistics.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FeatureAttention } from '../losses/attention';
import type { TapShape } from '../types';
import { fusedAttentionAvailable } from './fusedAttention';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

const rand = (n: number, seed: number) => testValues(n, seed, { terms: 1, shift: 1 });

const T_SHAPES: TapShape[] = [[8, 8, 6], [8, 8, 6], [4, 4, 10], [2, 2, 12]];
const S_SHAPES: TapShape[] = [[8, 8, 3], [4, 4, 5], [2, 2, 7]];

async function run(B: number): Promise<number[][]> {
  const att = new FeatureAttention(T_SHAPES, S_SHAPES, 5, 11);
  const tT = T_SHAPES.map((s, i) => tf.tensor4d(rand(B * s[0] * s[1] * s[2], 1 + i), [B, ...s]));
  const sT = S_SHAPES.map((s, i) => tf.tensor4d(rand(B * s[0] * s[1] * s[2], 20 + i), [B, ...s]));
  const outs: tf.Tensor[] = [];
  const vars = att.variables;
  const { value, grads } = tf.variableGrads(() => {
    const o = att.forward(tT, sT, true);
    outs.push(tf.keep(o.z), tf.keep(o.alpha), tf.keep(o.dist));
    const w = tf.tensor(rand(o.alpha.size, 77), o.alpha.shape);
    return tf.add(tf.sum(tf.mul(o.alpha, w)), tf.sum(tf.mul(o.alpha, o.dist))) as tf.Scalar;
  }, vars);
  // The gradients in the student taps, through the same graph.
  const gS = tf.grads((...xs: tf.Tensor[]) => { const o = att.forward(tT, xs as tf.Tensor4D[], true); return tf.sum(tf.mul(o.alpha, o.dist)); })(sT);
  flushWebGpu();
  const read = async (t: tf.Tensor) => Array.from(await t.data());
  const res = [
    ...(await Promise.all(outs.map(read))),
    ...(await Promise.all(vars.map((v) => read(grads[v.name])))),
    ...(await Promise.all(gS.map(read))),
    ...(await att.readWeights()).map((a) => Array.from(a)),
  ];
  tf.dispose([value, ...Object.values(grads), ...outs, ...gS, ...tT, ...sT]);
  att.dispose();
  return res;
}

describe('the AFD attention module on WebGPU (Dawn) vs cpu', () => {
  for (const B of [1, 5]) {
    it(`batch ${B}: z, α, D, gradients in every variable and student tap, moving statistics`, async (ctx) => {
      if (!available) ctx.skip();
      await tf.setBackend('cpu');
      const want = await run(B);
      await tf.setBackend('webgpu');
      expect(fusedAttentionAvailable()).toBe(true);
      const before = tf.memory().numTensors;
      const got = await run(B);
      expect(tf.memory().numTensors).toBe(before);
      expect(got.length).toBe(want.length);
      want.forEach((w, k) => {
        const scale = Math.max(1e-4, ...w.map(Math.abs));
        let worst = 0;
        w.forEach((v, i) => { worst = Math.max(worst, Math.abs(got[k][i] - v)); });
        expect(worst / scale, `result ${k}`).toBeLessThan(2e-3);
      });
    });
  }

  it('α and its gradient are three dispatches (z, softmax; the gradient)', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    await run(2);
    const counter = webgpuCounter()!;
    counter.reset();
    await run(2);
    const by = Object.fromEntries(counter.breakdown(80).map((r) => [r.program.split(':')[0], r.dispatches]));
    expect(by.RtkAttentionLogits).toBe(2);
    expect(by.RtkAttentionGrad).toBe(2);
    expect(by.Transpose).toBeUndefined();
  });
});
