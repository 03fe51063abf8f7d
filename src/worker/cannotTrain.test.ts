/**
 * A run that cannot train says why before it starts (real 8×8 digits, cpu backend): a class
 * with no training image, or fewer training images than one batch. The teacher run's config
 * shrinks its batch to what a small import has.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEvent } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { cannotTrain } from '../ml/data/batches';
import { loadDatasetNode } from '../ml/data/loadNode';
import type { Dataset, Split } from '../ml/types';
import { teacherRunConfig } from '../ui/import/trainTeacher';
import { TrainerRun } from './trainer';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  digits = await loadDatasetNode(DATA, 'digits');
});

/** The images of `split` for which `keep(label, index)` holds. */
function subset(split: Split, keep: (label: number, i: number) => boolean): Split {
  const size = split.images.length / split.count;
  const idx = Array.from({ length: split.count }, (_, i) => i).filter((i) => keep(split.labels[i], i));
  const images = new Uint8Array(idx.length * size);
  idx.forEach((i, j) => images.set(split.images.subarray(i * size, (i + 1) * size), j * size));
  return { ...split, count: idx.length, images, labels: Uint8Array.from(idx, (i) => split.labels[i]) };
}

async function runOn(ds: Dataset, batchSize: number): Promise<{ error: unknown; events: WorkerEvent[] }> {
  const events: WorkerEvent[] = [];
  const config = { ...DEFAULT_CONFIG, dataset: 'digits' as const, method: 'student-alone' as const, epochs: 1, batchSize, trainLimit: 0, testLimit: 0, student: { arch: 'cnn-s1' as const, width: 4, depth: 1 } };
  const run = new TrainerRun('r', config, {
    emit: (e) => events.push(e), now: () => performance.now(), yieldToEvents: () => new Promise((r) => setImmediate(r)),
    loadData: async () => ds, loadTeacher: async () => { throw new Error('no teacher here'); },
  });
  try { await run.run(); return { error: null, events }; } catch (e) { return { error: e, events }; }
}

describe('a run that cannot train says why before it starts', () => {
  it('names the class without a training image', async () => {
    const ds = { ...digits, train: subset(digits.train, (l) => l !== 3) };
    expect(cannotTrain(ds.train, ds.numClasses, ds.classNames, 0.1, 32, 'Digits')).toMatch(/the class "3" has no training image/);
    const { error, events } = await runOn(ds, 32);
    expect(String(error)).toMatch(/"3" has no training image.*Add images to that class/);
    expect(events.some((e) => e.type === 'progress')).toBe(false);
  });

  it('names the batch size when fewer training images are left than one batch', async () => {
    const ds = { ...digits, train: subset(digits.train, (_, i) => i < 40) };
    const { error, events } = await runOn(ds, 64);
    expect(String(error)).toMatch(/36 training images are left after 4 for validation, fewer than one batch of 64\. Lower the batch size to 36 or less/);
    expect(events.some((e) => e.type === 'progress')).toBe(false);
    expect(cannotTrain(ds.train, ds.numClasses, ds.classNames, 0.1, 32, 'Digits')).toBeNull();
  });

  it('a teacher run on a small import trains with one batch of what it has', () => {
    expect(teacherRunConfig(DEFAULT_CONFIG, 'user-0123456789abcdef', DEFAULT_CONFIG.teacher, 1, 40).batchSize).toBe(40 - Math.round(40 * DEFAULT_CONFIG.valFraction));
    expect(teacherRunConfig(DEFAULT_CONFIG, 'user-0123456789abcdef', DEFAULT_CONFIG.teacher, 1, 5000).batchSize).toBe(64);
  });
});
