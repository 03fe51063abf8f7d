/**
 * Test helper: the fused training-mode batch norm (+ ReLU) of fusedBatchNorm.ts against the stock
 * ops (tf.moments, tf.batchNorm, tf.relu, the tfjs-layers or PyTorch moving averages and their
 * autodiff gradients) on whatever backend is active: the cases and one run of either route.
 * Used by webgpuBatchNorm.test.ts (Dawn) and wasmBatchNorm.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormAvailable, fusedBatchNormTrain } from './fusedBatchNorm';
import { expect } from 'vitest';
import { testValues } from './testValues';
import { flushWebGpu } from './webgpuRaw';

export const rand = (n: number, seed: number, scale = 2, shift = 0) => testValues(n, seed, { terms: 3, scale, shift });

export const EPS = 1e-3;
export const MOMENTUM = 0.9;

export interface Case { shape: number[]; relu: boolean; torch?: boolean }
export interface Result { y: number[]; mm: number[]; mv: number[]; dx: number[]; dgamma: number[]; dbeta: number[] }

/** A moving statistic with the LayerVariable interface the op uses. */
export function movingVar(init: Float32Array): { v: tf.Variable; read(): tf.Tensor; write(t: tf.Tensor): void } {
  const v = tf.tidy(() => tf.variable(tf.tensor1d(init), false));
  return { v, read: () => v, write: (t: tf.Tensor) => v.assign(t as tf.Tensor1D) };
}

/** Forward (training) and gradients of Σ y·w, by the fused op (fused) or by the stock ops. */
export async function runBatchNorm(c: Case, seed: number, fused: boolean): Promise<Result> {
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

export function expectClose(got: number[], want: number[], what: string, tol: number): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1, ...want.map(Math.abs));
  got.forEach((g, i) => expect(Math.abs(g - want[i]), `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThan(tol * scale));
}

/** Odd shapes, batch 1, σ² = 0, rank 2 (dense features) and both moving-average styles. */
export const BN_CASES: Case[] = [
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

/** The seed of a case (its shape). */
export const caseSeed = (c: Case) => c.shape.reduce((a, b) => a * 3 + b, 1);

/** The moving mean's random start for a case, to check that it moved. */
export const initialMovingMean = (c: Case) => Array.from(rand(c.shape[c.shape.length - 1], caseSeed(c) + 4, 0.2));

/**
 * Case `c` by the stock ops on cpu and by the fused op on `backend`: values, moving statistics
 * and gradients within 2e-5, no tensor left behind, ReLU zeros where it clips, and the moving
 * averages moved (from their random start) toward the batch statistics.
 */
export async function expectFusedMatchesCpu(c: Case, backend: string): Promise<void> {
  const seed = caseSeed(c);
  await tf.setBackend('cpu');
  const want = await runBatchNorm(c, seed, false);
  await tf.setBackend(backend);
  expect(fusedBatchNormAvailable()).toBe(true);
  const before = tf.memory().numTensors;
  const got = await runBatchNorm(c, seed, true);
  expect(tf.memory().numTensors).toBe(before);
  for (const k of Object.keys(want) as (keyof Result)[]) expectClose(got[k], want[k], k, 2e-5);
  if (c.relu) expect(got.y.some((v) => v === 0) && got.y.every((v) => v >= 0)).toBe(true);
  expect(got.mm).not.toEqual(initialMovingMean(c));
}
