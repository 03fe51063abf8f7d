/**
 * RTK's selection and loss on WebGPU (Dawn: one kernel forward, one backward, fusedRtk.ts)
 * against losses/rtk.ts's composed ops on cpu: weight·L_rtk, the kept mask, the influence and
 * the gradients in α and D, over the importance rules, k, thresholds (mean, fixed) and
 * granularities, the warm-up and AFD's loss (every key kept), batch 1 and more samples than a
 * workgroup has threads, one student tap; the
 * dispatch count; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RtkOptions } from '../../domain';
import { afdLoss, rtkLoss } from '../losses/rtk';
import { fusedRtkAvailable } from './fusedRtk';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

/** Loss, mask, influence and the gradients of the loss in α and D, on the active backend. */
async function run(B: number, T: number, S: number, opts: RtkOptions, weight: number, keepAll: boolean): Promise<number[][]> {
  const z = tf.tensor3d(testValues(B * T * S, B + T + S, { scale: 6 }), [B, T, S]);
  const alpha = tf.tidy(() => tf.softmax(z) as tf.Tensor3D);
  const dist = tf.tensor3d(testValues(B * T * S, 7 * B + S, { scale: 0.2, shift: 0.2 }), [B, T, S]);
  const o = rtkLoss(alpha, dist, z, opts, weight, keepAll);
  const afd = afdLoss(alpha, dist, weight);
  const grads = tf.grads((a: tf.Tensor, d: tf.Tensor) => rtkLoss(a as tf.Tensor3D, d as tf.Tensor3D, z, opts, weight, keepAll).loss)([alpha, dist]);
  const afdGrads = tf.grads((a: tf.Tensor, d: tf.Tensor) => afdLoss(a as tf.Tensor3D, d as tf.Tensor3D, weight))([alpha, dist]);
  flushWebGpu();
  const out = await Promise.all([o.loss, o.mask, o.influence, ...grads, afd, ...afdGrads].map(async (t) => Array.from(await t.data())));
  tf.dispose([z, alpha, dist, o.loss, o.mask, o.influence, ...grads, afd, ...afdGrads]);
  return out;
}

async function compare(B: number, T: number, S: number, opts: RtkOptions, weight = 1, keepAll = false): Promise<void> {
  await tf.setBackend('cpu');
  expect(fusedRtkAvailable(T, S)).toBe(false);
  const want = await run(B, T, S, opts, weight, keepAll);
  await tf.setBackend('webgpu');
  expect(fusedRtkAvailable(T, S)).toBe(true);
  const before = tf.memory().numTensors;
  const got = await run(B, T, S, opts, weight, keepAll);
  expect(tf.memory().numTensors).toBe(before);
  const names = ['loss', 'mask', 'influence', 'dα', 'dD', 'L_afd', 'L_afd dα', 'L_afd dD'];
  want.forEach((w, k) => {
    expect(got[k].length).toBe(w.length);
    if (k === 1) { expect(got[k], 'mask').toEqual(w); return; }
    const scale = Math.max(1e-6, ...w.map(Math.abs));
    w.forEach((v, i) => expect(Math.abs(got[k][i] - v) / scale, `${names[k]}[${i}]`).toBeLessThan(1e-5));
  });
}

const base: RtkOptions = { importance: 'afd', k: 2, threshold: 'mean', granularity: 'sample', warmupEpochs: 0 };

describe('RTK selection and loss on WebGPU (Dawn, fused) vs cpu', () => {
  const grid: RtkOptions[] = [];
  for (const importance of ['afd', 'keys'] as const) {
    for (const threshold of ['mean', 0.3] as const) {
      for (const granularity of ['sample', 'batch'] as const) for (const k of [1, 2]) grid.push({ importance, k, threshold, granularity, warmupEpochs: 0 });
    }
  }
  for (const opts of grid) {
    it(`B 5, T 6, S 3: ${opts.importance} k=${opts.k} τ=${opts.threshold} ${opts.granularity}`, async (ctx) => {
      if (!available) ctx.skip();
      await compare(5, 6, 3, opts, 200);
    });
  }

  it('batch 1; 70 samples (more than one thread each); one student tap; a fixed τ that keeps nothing', async (ctx) => {
    if (!available) ctx.skip();
    await compare(1, 4, 5, base);
    await compare(70, 3, 4, { ...base, importance: 'keys', granularity: 'batch' }, 3);
    await compare(2, 3, 1, base);
    await compare(3, 5, 4, { ...base, threshold: 0.99 });
  });

  it('the warm-up (every key kept: β·L_afd, all-ones mask, the real influence) and afdLoss', async (ctx) => {
    if (!available) ctx.skip();
    await compare(5, 6, 3, base, 200, true);
    await compare(4, 3, 2, { ...base, importance: 'keys', granularity: 'batch' }, 1, true);
  });

  it('is 1 dispatch forward and 1 backward', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const z = tf.tensor3d(testValues(4 * 6 * 3, 5), [4, 6, 3]);
    const a = tf.tidy(() => tf.softmax(z) as tf.Tensor3D);
    const d = tf.tensor3d(testValues(4 * 6 * 3, 6, { scale: 0.2, shift: 0.2 }), [4, 6, 3]);
    const step = () => tf.tidy(() => tf.grads((x: tf.Tensor, y: tf.Tensor) => rtkLoss(x as tf.Tensor3D, y as tf.Tensor3D, z, base, 200).loss)([a, d]));
    tf.dispose(step());
    flushWebGpu();
    await a.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const g = step();
    flushWebGpu();
    expect(counter.counts.dispatches).toBe(2);
    expect(Object.fromEntries(counter.breakdown(10).map((r) => [r.program.split(':')[0], r.dispatches]))).toEqual({ RtkSelectLoss: 1, RtkSelectLossGrad: 1 });
    tf.dispose([z, a, d, ...g]);
  });
});
