/**
 * The fused logit losses and the teacher's normalised energy maps on WebGPU (Dawn) against the
 * composed ops on cpu (losses/ce.ts, kd.ts, energy.ts take the fused route on webgpu only):
 * values and gradients, odd shapes, batch 1, more rows than a workgroup has threads.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../losses/ce';
import { energyMap, NORM_EPS, normalizedEnergy } from '../losses/energy';
import { kdLoss } from '../losses/kd';
import { fusedLossesAvailable, fusedNormalizedEnergy } from './fusedLosses';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

const rand = (n: number, seed: number, scale = 3) => testValues(n, seed, { scale });

function close(got: number[], want: number[], what: string, tol = 1e-5): void {
  expect(got.length, what).toBe(want.length);
  const scale = Math.max(1e-6, ...want.map(Math.abs));
  got.forEach((g, i) => expect(Math.abs(g - want[i]) / scale, `${what}[${i}]: ${g} vs ${want[i]}`).toBeLessThan(tol));
}

const SHAPES: [number, number][] = [[1, 3], [7, 10], [130, 13]];

/** Loss value and its gradient in the student logits, on the active backend. */
async function lossAndGrad(f: (s: tf.Tensor2D) => tf.Scalar, B: number, C: number, seed: number): Promise<number[][]> {
  const s = tf.tensor2d(rand(B * C, seed), [B, C]);
  const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => f(x as tf.Tensor2D))([s]);
  flushWebGpu();
  const out = [Array.from(await value.data()), Array.from(await grads[0].data())];
  tf.dispose([s, value, ...grads]);
  return out;
}

async function onBoth(run: () => Promise<number[][]>): Promise<{ want: number[][]; got: number[][] }> {
  await tf.setBackend('cpu');
  expect(fusedLossesAvailable()).toBe(false);
  const want = await run();
  await tf.setBackend('webgpu');
  expect(fusedLossesAvailable()).toBe(true);
  const before = tf.memory().numTensors;
  const got = await run();
  expect(tf.memory().numTensors).toBe(before);
  return { want, got };
}

describe('fused losses on WebGPU (Dawn) vs the composed ops on cpu', () => {
  for (const [B, C] of SHAPES) {
    it(`cross-entropy [${B}, ${C}]: value and gradient (one label out of range where B > 1)`, async (ctx) => {
      if (!available) ctx.skip();
      const labels = Int32Array.from({ length: B }, (_, i) => (i === 1 ? C : (i * 7) % C));
      const { want, got } = await onBoth(() => lossAndGrad((s) => {
        const y = tf.tensor1d(labels, 'int32');
        const l = crossEntropy(s, y);
        y.dispose();
        return l;
      }, B, C, B + C));
      close(got[0], want[0], 'loss');
      close(got[1], want[1], 'dlogits');
    });

    it(`KD [${B}, ${C}] (α 0.9, τ 4): value and gradient in the student logits`, async (ctx) => {
      if (!available) ctx.skip();
      const tv = rand(B * C, 99 + B, 5);
      const { want, got } = await onBoth(() => lossAndGrad((s) => {
        const t = tf.tensor2d(tv, [B, C]);
        const l = kdLoss(s, t, { alpha: 0.9, tau: 4 });
        t.dispose();
        return l;
      }, B, C, 2 * B + C));
      close(got[0], want[0], 'loss', 1e-4);
      close(got[1], want[1], 'dstudent', 1e-4);
    });
  }

  for (const shape of [[1, 1, 1, 1], [2, 7, 7, 5], [3, 14, 14, 12], [2, 3, 3, 4]]) {
    it(`normalised energy map [${shape}] equals normalizedEnergy(energyMap(x))`, async (ctx) => {
      if (!available) ctx.skip();
      const n = shape.reduce((a, b) => a * b, 1);
      // The last shape is an all-zero tap (a dead ReLU): the ε keeps it finite, at 0.
      const values = shape[0] === 2 && shape[1] === 3 ? new Float32Array(n) : rand(n, n);
      const { want, got } = await onBoth(async () => {
        const x = tf.tensor4d(values, shape as [number, number, number, number]);
        const v = fusedLossesAvailable() ? fusedNormalizedEnergy(x, NORM_EPS) : tf.tidy(() => normalizedEnergy(energyMap(x)));
        const out = [Array.from(await v.data())];
        tf.dispose([x, v]);
        return out;
      });
      close(got[0], want[0], 'v');
    });
  }

  it('each loss is one dispatch forward and one backward', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const s = tf.tensor2d(rand(40, 1), [4, 10]);
    const t = tf.tensor2d(rand(40, 2), [4, 10]);
    const y = tf.tensor1d([1, 2, 3, 4], 'int32');
    const f = () => tf.tidy(() => tf.grads((x: tf.Tensor) => tf.add(crossEntropy(x as tf.Tensor2D, y), kdLoss(x as tf.Tensor2D, t, { alpha: 0.9, tau: 4 })))([s]));
    tf.dispose(f());
    flushWebGpu();
    await s.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const g = f();
    flushWebGpu();
    const by = Object.fromEntries(counter.breakdown(20).map((r) => [r.program, r.dispatches]));
    expect(by).toMatchObject({ 'RtkSoftmaxCrossEntropy:raw': 1, 'RtkSoftmaxCrossEntropyGrad:raw': 1, 'RtkKdLoss:raw': 1, 'RtkScaleGrad:raw': 1 });
    tf.dispose([s, t, y, ...g]);
  });
});
