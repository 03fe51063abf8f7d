/**
 * The fused training-mode batch norm (+ ReLU) on wasm (wasmBatchNorm.ts) against the stock ops on
 * cpu: values, moving statistics and gradients (batchNormReference.ts's cases); and what it is
 * for: a photo student's training step keeps a fraction of the memory the stock route keeps.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { archPreset, DEFAULT_CONFIG } from '../../domain';
import { buildModel } from '../models';
import { DistillSession } from '../train/session';
import { BN_CASES, expectFusedMatchesCpu } from './batchNormReference';
import { BN_KERNELS, fusedBatchNormAvailable } from './fusedBatchNorm';
import { registerWasmTrainingKernels } from './wasmKernels';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

describe('fused batch norm + ReLU on wasm vs the stock ops on cpu', () => {
  for (const c of BN_CASES) it(`values, moving statistics and gradients equal cpu: [${c.shape}], relu ${c.relu}${c.torch ? ', PyTorch averages' : ''}`, async () => {
    await expectFusedMatchesCpu(c, 'wasm');
  });

  it('refuses what it cannot do, naming the kernel', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3, 4]);
    const mm = tf.zeros([5]);
    expect(() => tf.engine().runKernel(BN_KERNELS.stats, { x, movingMean: mm, movingVariance: mm }, { momentum: 0.9 }))
      .toThrow(/RtkBatchNormStats: movingMean must hold 1·4/);
    tf.dispose([x, mm]);
  });

  it('keeps a 224 px photo student\'s training step at under half the memory of the stock route', async () => {
    await tf.setBackend('wasm');
    const shape: [number, number, number] = [224, 224, 3];
    const spec = archPreset('cnn-s1', shape);
    const peak = async (fused: boolean) => {
      // The stock route is what TappedModel.apply takes where the fused kernels are missing.
      const saved = BN_KERNELS.stats;
      const kernel = tf.getKernel(saved, 'wasm')!;
      if (!fused) tf.unregisterKernel(saved, 'wasm');
      try {
        expect(fusedBatchNormAvailable()).toBe(fused);
        const student = buildModel(spec, shape, 10, 1);
        const session = new DistillSession({ ...DEFAULT_CONFIG, student: spec, method: 'student-alone', batchSize: 2 }, student, null);
        const x = tf.randomUniform([2, 224, 224, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
        const y = tf.tensor1d([1, 7], 'int32');
        const prof = await tf.profile(() => session.trainStep(x, y, 0).total);
        tf.dispose([x, y]);
        session.dispose();
        return prof.peakBytes;
      } finally {
        if (!fused) tf.registerKernel(kernel);
      }
    };
    const stock = await peak(false);
    const fused = await peak(true);
    expect(fused).toBeLessThan(stock / 2);
  }, 120_000);
});
