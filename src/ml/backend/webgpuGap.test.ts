/**
 * Global average pooling (fusedGap.ts) on WebGPU (Dawn: tf.mean's one dispatch forward, the
 * gradient in one) against cpu's tf.mean and its gradient: values and gradients, odd shapes,
 * batch 1; dispatch count; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { globalAveragePool } from './fusedGap';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

async function run(shape: [number, number, number, number]): Promise<number[][]> {
  const x = tf.tensor4d(testValues(shape.reduce((a, b) => a * b, 1), shape[3]), shape);
  const w = tf.tensor2d(testValues(shape[0] * shape[3], 9), [shape[0], shape[3]]);
  const y = tf.tidy(() => globalAveragePool(x));
  const [g] = tf.grads((a: tf.Tensor) => tf.sum(tf.mul(globalAveragePool(a as tf.Tensor4D), w)))([x]);
  flushWebGpu();
  const out = [Array.from(await y.data()), Array.from(await g.data())];
  tf.dispose([x, w, y, g]);
  return out;
}

describe('global average pooling on WebGPU (Dawn) vs cpu', () => {
  for (const shape of [[1, 1, 1, 1], [2, 7, 5, 3], [3, 9, 9, 70]] as [number, number, number, number][]) {
    it(`[${shape}]: value and gradient`, async (ctx) => {
      if (!available) ctx.skip();
      await tf.setBackend('cpu');
      const want = await run(shape);
      await tf.setBackend('webgpu');
      const before = tf.memory().numTensors;
      const got = await run(shape);
      expect(tf.memory().numTensors).toBe(before);
      want.forEach((wv, k) => wv.forEach((v, i) => expect(Math.abs(got[k][i] - v), `${k ? 'dx' : 'y'}[${i}]`).toBeLessThan(1e-5 * Math.max(1, Math.abs(v)))));
    });
  }

  it('the gradient is one dispatch', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const x = tf.tensor4d(testValues(2 * 4 * 4 * 3, 1), [2, 4, 4, 3]);
    await x.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const [g] = tf.grads((a: tf.Tensor) => tf.sum(globalAveragePool(a as tf.Tensor4D)))([x]);
    flushWebGpu();
    const by = Object.fromEntries(counter.breakdown(10).map((r) => [r.program.split(':')[0], r.dispatches]));
    expect(by.RtkGapGrad).toBe(1);
    expect(by.Multiply).toBeUndefined();
    expect(by.RealDiv).toBeUndefined();
    tf.dispose([x, g]);
  });
});
