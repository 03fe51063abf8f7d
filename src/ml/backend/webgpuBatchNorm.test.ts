/**
 * The fused training-mode batch norm (+ ReLU) on WebGPU (Dawn) against the stock ops on cpu
 * (tf.moments, tf.batchNorm, tf.relu, the tfjs-layers moving averages and their autodiff
 * gradients): values, moving statistics and gradients, on odd shapes and batch 1.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BN_CASES, EPS, expectFusedMatchesCpu, MOMENTUM, movingVar, rand } from './batchNormReference';
import { BN_KERNELS, fusedBatchNormTrain } from './fusedBatchNorm';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

describe('fused batch norm + ReLU on WebGPU (Dawn) vs the stock ops on cpu', () => {
  for (const c of BN_CASES) it(`values, moving statistics and gradients equal cpu: [${c.shape}], relu ${c.relu}${c.torch ? ', PyTorch averages' : ''}`, async (ctx) => {
    if (!available) ctx.skip();
    await expectFusedMatchesCpu(c, 'webgpu');
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
