import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckpointData, PackedCheckpoint, TrainConfig } from '../domain';
import { unpackCheckpoint } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { loadDatasetNode } from '../ml/data/loadNode';
import { buildModel, disposeFrozen } from '../ml/models';
import type { Dataset, TappedModel } from '../ml/types';
import { TrainerRun, type TrainerEnv } from './trainer';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;
/** The uninterrupted run. */
let whole: Awaited<ReturnType<typeof train>>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  digits = await loadDatasetNode(DATA, 'digits');
  whole = await train(null);
});

const config: TrainConfig = {
  ...DEFAULT_CONFIG, dataset: 'digits', method: 'rtk', epochs: 3, batchSize: 32, trainLimit: 400, testLimit: 0, seed: 9,
  teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 },
  options: { ...DEFAULT_CONFIG.options, afd: { beta: 50, attnDim: 16 } },
};

/** Trains `config` (from `resume` when given); returns the final checkpoint, accuracy and every epoch's checkpoint. */
async function train(resume: CheckpointData | null) {
  const checkpoints: PackedCheckpoint[] = [];
  let teacher: TappedModel | null = null;
  const env: TrainerEnv = {
    emit: (e) => { if (e.type === 'checkpoint') checkpoints.push(e.checkpoint); },
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
    loadData: async () => digits,
    loadTeacher: async (c) => (teacher = buildModel(c.teacher, digits.shape, digits.numClasses, 5)),
  };
  const run = new TrainerRun('resume', config, env, resume);
  const result = await run.run();
  disposeFrozen(teacher!.model);
  teacher!.model.dispose();
  return { final: run.checkpoint!, accuracy: result!.testAccuracy, checkpoints };
}

const same = (a: Float32Array[], b: Float32Array[]) => a.every((x, i) => x.every((v, j) => v === b[i][j]));

describe('resuming a run from its checkpoint', () => {
  it('ends exactly where the uninterrupted run ends: weights, attention, Adam state and accuracy', async () => {
    expect(whole.checkpoints.map((c) => c.epoch)).toEqual([1, 2, 3]);
    // A reload: the packed checkpoint went through structured cloning (postMessage, IndexedDB).
    const afterOne = await unpackCheckpoint(structuredClone(whole.checkpoints[0]));
    expect(afterOne.optimiser?.step).toBeGreaterThan(0);
    const resumed = await train(afterOne);
    expect(resumed.checkpoints.map((c) => c.epoch)).toEqual([2, 3]);
    expect(same(resumed.final.student, whole.final.student)).toBe(true);
    expect(same(resumed.final.attention!, whole.final.attention!)).toBe(true);
    expect(same(resumed.final.optimiser!.m, whole.final.optimiser!.m)).toBe(true);
    expect(same(resumed.final.optimiser!.v, whole.final.optimiser!.v)).toBe(true);
    expect(resumed.final.optimiser!.step).toBe(whole.final.optimiser!.step);
    expect(resumed.accuracy).toBe(whole.accuracy);
  });

  it('still resumes a checkpoint saved without optimiser state (fresh moments, so it ends elsewhere)', async () => {
    const { optimiser: _dropped, ...older } = await unpackCheckpoint(whole.checkpoints[0]);
    const resumed = await train(older);
    expect(resumed.checkpoints.map((c) => c.epoch)).toEqual([2, 3]);
    expect(Number.isFinite(resumed.accuracy)).toBe(true);
    expect(same(resumed.final.student, whole.final.student)).toBe(false);
  });
});
