/**
 * The fused training-mode batch norm (+ ReLU) on WebGPU (Dawn) against the stock ops on cpu
 * (tf.moments, tf.batchNorm, tf.relu, the tfjs-layers moving averages and their autodiff
 * gradients): values, moving statistics and gradients, on odd shapes and batch 1.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BN_KERNELS, fusedBatchNormAvailable, fusedBatchNormTrain } from './fusedBatchNorm';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

const rand = (n: number, seed: number, scale = 2, shift = 0) => testValues(n, seed, { terms: 3, scale, shift });

const EPS = 1e-3;
const MOMENTUM = 0.9;

interface Case { shape: number[]; relu: boolean; torch?: boolean }
interface Result { y: number[]; mm: number[]; mv: number[]; dx: number[]; dgamma: number[]; dbeta: number[] }

/** A moving statistic with the LayerVariable interface the op uses. */
function movingVar(init: Float32Array): { v: tf.Variable; read(): tf.Tensor; write(t: tf.Tensor): void } {
  const v = tf.tidy(() => tf.variable(tf.tensor1d(init), false));
  return { v, read: () => v, write: (t: tf.Tensor) => v.assign(t as tf.Tensor1D) };
}

/** Forward (training) and gradients of Σ y·w, by the fused op (fused) or by the stock ops. */
async function run(c: Case, seed: number, fused: boolean): Promise<Result> {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const C = c.shape[c.shape.length - 1];
  // An offset and a scale per case, so the mean and variance are not trivially 0 and 1.
  const x = tf.tensor(rand(n, seed, 3, 0.7), c.shape);
  const w = tf.tensor(rand(n, seed + 1), c.shape);
  const gamma = tf.tensor1d(rand(C, seed + 2, 1, 1));
  const beta = tf.tensor1d(rand(C, seed + 3, 0.5));
  const mm = movingVar(rand(C, seed + 4, 0.2));
  const mv = movingVar(rand(C, seed + 5, 0.2, 1));
  const axes = c.shape.slice(0, -1).map((_, i) => i);
  // PyTorch style (losses/batchNorm.ts): momentum 0.1 is the new batch's share, σ² unbiased.
  const momentum = c.torch ? 0.1 : MOMENTUM;
  const rows = n / C;
  const forward = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    if (fused) {
      return fusedBatchNormTrain(xi, g, b, { epsilon: EPS, momentum, style: c.torch ? 'torch' : 'keras', relu: c.relu, movingMean: mm, movingVariance: mv });
    }
    const { mean, variance } = tf.moments(xi, axes);
    const y = tf.batchNorm(xi, mean, variance, b, g, EPS);
    if (c.torch) {
      mm.write(tf.add(tf.mul(mm.read(), 1 - momentum), tf.mul(mean, momentum)));
      mv.write(tf.add(tf.mul(mv.read(), 1 - momentum), tf.mul(variance, momentum * (rows > 1 ? rows / (rows - 1) : 1))));
    } else {
      // tfjs-layers' doMovingAverage.
      mm.write(tf.sub(mm.read(), tf.mul(tf.sub(mm.read(), mean), 1 - momentum)));
      mv.write(tf.sub(mv.read(), tf.mul(tf.sub(mv.read(), variance), 1 - momentum)));
    }
    return c.relu ? tf.relu(y) : y;
  };
  let y: tf.Tensor | null = null;
  const { value, grads } = tf.tidy(() => {
    const r = tf.valueAndGrads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const out = forward(xi, g, b);
      y = tf.keep(out);
      return tf.sum(tf.mul(out, w));
    })([x, gamma, beta]);
    return { value: tf.keep(r.value), grads: r.grads.map((t) => tf.keep(t)) };
  });
  flushWebGpu();
  const read = async (t: tf.Tensor) => Array.from(await t.data());
  const out: Result = {
    y: await read(y!), mm: await read(mm.v), mv: await read(mv.v),
    dx: await read(grads[0]), dgamma: await read(grads[1]), dbeta: await read(grads[2]),
  };
  tf.dispose([x, w, gamma, beta, mm.v, mv.v, y!, value, ...grads]);
  return out;
}

function expectClose(got: number[], want: number[], what: string, tol: number): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThan(tol * scale));
}

describe('fused batch norm + ReLU on WebGPU (Dawn) vs the stock ops on cpu', () => {
  const cases: Case[] = [
    { shape: [1, 3, 5, 7], relu: true },
    { shape: [1, 1, 1, 5], relu: true }, // batch 1, one pixel: σ² = 0
    { shape: [3, 7, 7, 9], relu: false },
    { shape: [4, 14, 14, 8], relu: true },
    { shape: [2, 4, 4, 70], relu: true },
    // Rank 2 (dense features): one kernel forward, one backward.
    { shape: [13, 6], relu: false },
    { shape: [130, 5], relu: true, torch: true },
    { shape: [1, 4], relu: false, torch: true },
  ];

  for (const c of cases) it(`values, moving statistics and gradients equal cpu: [${c.shape}], relu ${c.relu}${c.torch ? ', PyTorch averages' : ''}`, async (ctx) => {
    if (!available) ctx.skip();
    const seed = c.shape.reduce((a, b) => a * 3 + b, 1);
    await tf.setBackend('cpu');
    const want = await run(c, seed, false);
    await tf.setBackend('webgpu');
    expect(fusedBatchNormAvailable()).toBe(true);
    const before = tf.memory().numTensors;
    const got = await run(c, seed, true);
    expect(tf.memory().numTensors).toBe(before);
    for (const k of Object.keys(want) as (keyof Result)[]) expectClose(got[k], want[k], k, 2e-5);
    if (c.relu) expect(got.y.some((v) => v === 0) && got.y.every((v) => v >= 0)).toBe(true);
    // The moving averages moved (from their random start) toward the batch statistics.
    expect(got.mm).not.toEqual(Array.from(rand(c.shape[c.shape.length - 1], seed + 4, 0.2)));
  });

  it('is 2 dispatches forward and 2 backward, with no buffer created in the steady state', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const x = tf.tensor(rand(2 * 5 * 5 * 6, 9), [2, 5, 5, 6]);
    const gamma = tf.ones([6]);
    const beta = tf.zeros([6]);
    const mm = movingVar(new Float32Array(6));
    const mv = movingVar(new Float32Array(6).fill(1));
    const o = { epsilon: EPS, momentum: MOMENTUM, relu: true, movingMean: mm, movingVariance: mv };
    const step = () => {
      const g = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => fusedBatchNormTrain(a, b, c, o))([x, gamma, beta]));
      flushWebGpu();
      return g;
    };
    for (let i = 0; i < 2; i++) tf.dispose(step());
    await mm.v.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const g = step();
    expect(counter.counts.dispatches).toBe(4);
    expect(counter.counts.buffersCreated).toBe(0);
    expect(counter.breakdown(10).map((r) => r.program).sort())
      .toEqual([BN_KERNELS.stats, BN_KERNELS.apply, BN_KERNELS.gradStats, BN_KERNELS.gradInput].map((k) => `${k}:raw`).sort());
    // Rank 2: one kernel each way.
    const x2 = tf.reshape(x, [50, 6]);
    tf.dispose(tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => fusedBatchNormTrain(a, b, c, o))([x2, gamma, beta])));
    flushWebGpu();
    counter.reset();
    const g2 = tf.tidy(() => tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => fusedBatchNormTrain(a, b, c, o))([x2, gamma, beta]));
    flushWebGpu();
    expect(counter.breakdown(10).map((r) => r.program).sort()).toEqual([`${BN_KERNELS.grad2d}:raw`, `${BN_KERNELS.train2d}:raw`]);
    tf.dispose([x, x2, gamma, beta, mm.v, mv.v, ...g, ...g2]);
  });

  it('refuses what it cannot do, naming the kernel', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const x = tf.ones([2, 3, 4]);
    const mm = tf.zeros([5]);
    expect(() => tf.engine().runKernel(BN_KERNELS.stats, { x, movingMean: mm, movingVariance: mm }, { momentum: 0.9 }))
      .toThrow(/RtkBatchNormStats: movingMean must hold 1·4/);
    tf.dispose([x, mm]);
  });
});
