/**
 * The attention module's Linear + BN (losses/batchNorm.ts `LinearBn`) on WebGPU (Dawn: one
 * fused kernel forward, one backward, fusedBatchNorm.ts `fusedLinearBnTrain`) against cpu (a
 * matMul and the closed-form BN op): y, the gradients in x, W, γ and β, and the moving
 * statistics; odd shapes, batch 1, rows and inputs longer than a workgroup, with and without
 * ReLU, with and without the input's gradient, an input at a column offset (`applyAt`); the
 * dispatch count; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinearBn } from '../losses/batchNorm';
import { fusedLinearBnAvailable } from './fusedBatchNorm';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

/** offset: the input is columns offset … of a wider matrix (`applyAt`; no ReLU, no input gradient). */
interface Case { rows: number; inDim: number; outDim: number; relu: boolean; inputGradient: boolean; offset?: number }

/** Two training steps' outputs (the second sees updated moving statistics) and the gradients of Σ y·w. */
async function run(c: Case, seed: number): Promise<number[][]> {
  const layer = new LinearBn(`lbn${seed}`, c.inDim, c.outDim, seed);
  const cols = c.inDim + 2 * (c.offset ?? 0);
  const x = tf.tidy(() => tf.variable(tf.tensor2d(testValues(c.rows * cols, seed + 1, { scale: 3, shift: 0.4 }), [c.rows, cols]), true, `lbn${seed}/x`));
  const w = tf.tensor2d(testValues(c.rows * c.outDim, seed + 2), [c.rows, c.outDim]);
  const apply = () => (c.offset !== undefined ? layer.applyAt(x, c.offset, true) : layer.apply(x, true, c.relu, c.inputGradient));
  const y = tf.tidy(apply);
  const vars = [layer.W, layer.gamma, layer.beta, ...(c.inputGradient ? [x] : [])];
  const { value, grads: byName } = tf.variableGrads(() => tf.sum(tf.mul(apply(), w)) as tf.Scalar, vars);
  const grads = vars.map((v) => byName[v.name]);
  flushWebGpu();
  const read = async (t: tf.Tensor) => Array.from(await t.data());
  const out = [await read(y), await read(value), ...(await Promise.all(grads.map(read))), await read(layer.movingMean), await read(layer.movingVar)];
  tf.dispose([x, w, y, value, ...grads]);
  layer.dispose();
  return out;
}

const cases: Case[] = [
  { rows: 1, inDim: 3, outDim: 4, relu: false, inputGradient: true },
  { rows: 5, inDim: 3, outDim: 7, relu: true, inputGradient: true },
  { rows: 130, inDim: 70, outDim: 9, relu: true, inputGradient: true },
  { rows: 6, inDim: 11, outDim: 5, relu: false, inputGradient: false },
  { rows: 7, inDim: 5, outDim: 6, relu: false, inputGradient: false, offset: 4 },
];

describe('Linear + BN on WebGPU (Dawn, fused) vs cpu', () => {
  for (const c of cases) {
    it(`[${c.rows}, ${c.inDim}] → ${c.outDim}, relu ${c.relu}, input gradient ${c.inputGradient}${c.offset ? `, at column ${c.offset}` : ''}: y, gradients, moving statistics`, async (ctx) => {
      if (!available) ctx.skip();
      const seed = c.rows * 7 + c.inDim;
      await tf.setBackend('cpu');
      expect(fusedLinearBnAvailable()).toBe(false);
      const want = await run(c, seed);
      await tf.setBackend('webgpu');
      expect(fusedLinearBnAvailable()).toBe(true);
      const before = tf.memory().numTensors;
      const got = await run(c, seed);
      expect(tf.memory().numTensors).toBe(before);
      expect(got.length).toBe(want.length);
      want.forEach((wv, k) => {
        const scale = Math.max(1e-4, ...wv.map(Math.abs));
        expect(got[k].length).toBe(wv.length);
        wv.forEach((v, i) => expect(Math.abs(got[k][i] - v) / scale, `result ${k} [${i}]`).toBeLessThan(1e-4));
      });
    });
  }

  it('is 1 dispatch forward and 1 backward (+ 1 matMul for dx)', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const layer = new LinearBn('lbn-count', 6, 5, 3);
    const x = tf.tensor2d(testValues(8 * 6, 4), [8, 6]);
    const step = (inputGradient: boolean) => {
      const counter = webgpuCounter()!;
      counter.reset();
      const g = inputGradient
        ? tf.grads((xi: tf.Tensor) => tf.sum(layer.apply(xi as tf.Tensor2D, true, true, true)))([x])
        : Object.values(tf.variableGrads(() => tf.sum(layer.apply(x, true, true, false)) as tf.Scalar, [layer.W]).grads);
      flushWebGpu();
      const by = Object.fromEntries(counter.breakdown(40).map((r) => [r.program.split(':')[0], r.dispatches]));
      tf.dispose(g);
      return by;
    };
    step(true);
    expect(step(true)).toMatchObject({ RtkLinearBnTrain: 1, RtkLinearBnGrad: 1, BatchMatMul: 1 });
    const noInput = step(false);
    expect(noInput).toMatchObject({ RtkLinearBnTrain: 1, RtkLinearBnGrad: 1 });
    expect(noInput.BatchMatMul).toBeUndefined();
    tf.dispose(x);
    layer.dispose();
  });
});
