import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { startDawnWebGpu } from '../../scripts/lib/dawn';
import type { TrainConfig } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { initBackend } from '../ml/backend/select';
import { registerWebGpuTrainingKernels } from '../ml/backend/webgpuKernels';
import { installWebGpuHygiene } from '../ml/backend/webgpuRaw';
import { loadDatasetNode } from '../ml/data/loadNode';
import type { Dataset } from '../ml/types';
import { lossTrace, worstRelative } from './lossTrace';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;
let gpu = false;

beforeAll(async () => {
  await initBackend('wasm');
  gpu = await startDawnWebGpu();
  if (gpu) { registerWebGpuTrainingKernels(); installWebGpuHygiene(); }
  digits = await loadDatasetNode(DATA, 'digits');
});

const config: TrainConfig = {
  ...DEFAULT_CONFIG, dataset: 'digits', batchSize: 8, seed: 5,
  teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 },
};

describe('WebGPU (Dawn) trains like wasm', () => {
  it('over 6 steps from the same seed the losses agree within 1e-3 relative: student alone, KD, RTK (50 steps: e2e/losses-match-webgpu.spec.ts)', async (ctx) => {
    if (!gpu) ctx.skip();
    await tf.setBackend('wasm');
    const want = await lossTrace(config, digits, ['student-alone', 'kd', 'rtk'], 6);
    await tf.setBackend('webgpu');
    const got = await lossTrace(config, digits, ['student-alone', 'kd', 'rtk'], 6);
    console.log('ms per step wasm', want.msPerStep, 'webgpu', got.msPerStep);
    const worst = worstRelative(got, want);
    console.log('worst relative difference', worst);
    for (const m of ['student-alone', 'kd', 'rtk']) {
      expect(got.losses[m]).toHaveLength(6);
      // The runs learn: the last losses are below the first.
      expect(want.losses[m][5]).toBeLessThan(want.losses[m][0]);
      expect(worst[m], m).toBeLessThan(1e-3);
    }
  }, 900_000);
});
