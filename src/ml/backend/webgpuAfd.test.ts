/**
 * The fused AFD pieces on WebGPU (Dawn) against the composed ops on cpu (losses/energy.ts and
 * afdValues.ts take the fused route on webgpu only): energy maps, L2-normalised rows and the
 * whole AFD distance D, values and gradients, odd shapes, batch 1, rows longer than a workgroup.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { afdDistance } from '../losses/afdValues';
import { energyMap, l2NormalizeRows } from '../losses/energy';
import { fusedAfdAvailable } from './fusedAfd';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

const rand = (n: number, seed: number) => testValues(n, seed);

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** f's value and its gradients in every input, for Σ f(…)·w, on the active backend. */
async function valueAndGrads(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor, seed: number): Promise<number[][]> {
  const xs = shapes.map((s, i) => tf.tensor(rand(prod(s), seed + i), s));
  let w: tf.Tensor | null = null;
  const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) => {
    const y = f(...a);
    w = w ?? tf.tensor(rand(y.size, seed + 50), y.shape);
    return tf.sum(tf.mul(y, w));
  })(xs);
  flushWebGpu();
  const out = [Array.from(await value.data()), ...(await Promise.all(grads.map(async (g) => Array.from(await g.data()))))];
  tf.dispose([...xs, value, ...grads, w!]);
  return out;
}

async function compare(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor, tol: number): Promise<void> {
  const seed = prod(shapes.flat()) % 997;
  await tf.setBackend('cpu');
  expect(fusedAfdAvailable()).toBe(false);
  const want = await valueAndGrads(shapes, f, seed);
  await tf.setBackend('webgpu');
  expect(fusedAfdAvailable()).toBe(true);
  const before = tf.memory().numTensors;
  const got = await valueAndGrads(shapes, f, seed);
  expect(tf.memory().numTensors).toBe(before);
  want.forEach((w, k) => {
    const scale = Math.max(1e-6, ...w.map(Math.abs));
    w.forEach((v, i) => expect(Math.abs(got[k][i] - v) / scale, `${k === 0 ? 'value' : `grad ${k - 1}`}[${i}]`).toBeLessThan(tol));
  });
}

describe('fused AFD pieces on WebGPU (Dawn) vs the composed ops on cpu', () => {
  for (const shape of [[1, 1, 1, 1], [2, 7, 7, 5], [3, 4, 4, 33]]) {
    it(`energy map [${shape}]: value and gradient`, async (ctx) => {
      if (!available) ctx.skip();
      await compare([shape], (x) => energyMap(x as tf.Tensor4D), 1e-5);
    });
  }

  for (const shape of [[1, 1], [3, 49], [2, 196], [5, 7]]) {
    it(`L2-normalised rows [${shape}]: value and gradient`, async (ctx) => {
      if (!available) ctx.skip();
      await compare([shape], (x) => l2NormalizeRows(x as tf.Tensor2D), 1e-5);
    });
  }

  it('the AFD distance D (taps at three resolutions, resize both ways): value and gradients in every tap', async (ctx) => {
    if (!available) ctx.skip();
    const teacher = [[2, 14, 14, 3], [2, 7, 7, 4], [2, 4, 4, 5]];
    const student = [[2, 14, 14, 2], [2, 7, 7, 6], [2, 4, 4, 3]];
    const T = teacher.length;
    await compare([...teacher, ...student], (...xs) => afdDistance(xs.slice(0, T) as tf.Tensor4D[], xs.slice(T) as tf.Tensor4D[]), 1e-4);
  });

  it('batch 1, one teacher tap, one student tap', async (ctx) => {
    if (!available) ctx.skip();
    await compare([[1, 5, 5, 2], [1, 3, 3, 4]], (t, s) => afdDistance([t as tf.Tensor4D], [s as tf.Tensor4D]), 1e-4);
  });

  it('each piece is one dispatch forward and one backward', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const x = tf.tensor(rand(2 * 6 * 6 * 3, 4), [2, 6, 6, 3]) as tf.Tensor4D;
    const f = () => tf.tidy(() => tf.grads((a: tf.Tensor) => tf.sum(l2NormalizeRows(tf.reshape(energyMap(a as tf.Tensor4D), [2, 36]))))([x]));
    tf.dispose(f());
    flushWebGpu();
    await x.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const g = f();
    flushWebGpu();
    const by = Object.fromEntries(counter.breakdown(20).map((r) => [r.program.split(':')[0], r.dispatches]));
    expect(by).toMatchObject({ RtkEnergyMap: 1, RtkEnergyMapGrad: 1, RtkL2NormRows: 1, RtkL2NormRowsGrad: 1 });
    tf.dispose([x, ...g]);
  });
});
