import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig, WorkerEvent } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { loadDatasetNode } from '../ml/data/loadNode';
import { buildModel, disposeFrozen, frozenApply } from '../ml/models';
import type { Dataset, FrozenTeacher, TappedModel } from '../ml/types';
import { TrainerRun, type TrainerEnv } from './trainer';
import type { TeacherArrays, TeacherFeed } from './teacherFeed';
import { TeacherCache, teacherCacheFor } from './teacherCache';
import { summarizeTap } from '../ml/losses/teacherTap';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;
/** The reference: the same run with the teacher in the training loop's own process. */
let plain: Awaited<ReturnType<typeof train>>;

beforeAll(async () => {
  await tf.setBackend('cpu');
  digits = await loadDatasetNode(DATA, 'digits');
  plain = await train(null);
});

const config: TrainConfig = {
  ...DEFAULT_CONFIG, dataset: 'digits', method: 'rtk', epochs: 1, batchSize: 32, trainLimit: 0, testLimit: 0, seed: 4,
  teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 },
  options: { ...DEFAULT_CONFIG.options, afd: { beta: 200, attnDim: 16 } },
};

/** A feed that runs the teacher in this process but answers asynchronously, as a worker would. */
function asyncFeed(teacher: FrozenTeacher, log: number[], fail = false): TeacherFeed {
  let n = 0;
  return {
    where: 'test feed',
    request(x: Float32Array, B: number): Promise<TeacherArrays> {
      const id = n++;
      return new Promise((resolve, reject) => setImmediate(() => {
        if (fail) { reject(new Error('feed broke')); return; }
        log.push(id);
        const input = tf.tensor4d(x, [B, ...teacher.inputShape]);
        const out = frozenApply({ model: teacher.model! }, input);
        // What the teacher worker sends: logits and each tap's summary (teacherTap.ts).
        const sums = out.taps.map(summarizeTap);
        resolve({ logits: out.logits.dataSync() as Float32Array, pooled: sums.map((t) => t.pooled.dataSync() as Float32Array), energy: sums.map((t) => t.energy.dataSync() as Float32Array) });
        tf.dispose([input, out.logits, ...out.taps, ...sums]);
      }));
    },
    dispose() {},
  };
}

async function train(feed: ((t: FrozenTeacher) => TeacherFeed) | null, remoteOnly = false, cfg: TrainConfig = config): Promise<{ weights: Float32Array[]; accuracy: number; events: WorkerEvent[] }> {
  const events: WorkerEvent[] = [];
  let teacher: TappedModel | null = null;
  /** The same teacher as one that runs only elsewhere (as an ONNX teacher does): no `model` here. */
  const remote = (t: TappedModel): FrozenTeacher => {
    const feedHere = asyncFeed(t, []);
    return {
      inputShape: t.inputShape, numClasses: t.numClasses, tapNames: t.tapNames, tapShapes: t.tapShapes,
      remote: { where: 'a test worker', forward: (x, B) => feedHere.request(x, B), dispose() {} },
    };
  };
  const env: TrainerEnv = {
    emit: (e) => events.push(e),
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
    loadData: async () => digits,
    loadTeacher: async (c) => {
      teacher = buildModel(c.teacher, digits.shape, digits.numClasses, 5);
      return remoteOnly ? remote(teacher) : teacher;
    },
    teacherFeed: feed ? async (t) => ({ feed: feed(t), note: 'teacher in a test feed' }) : undefined,
  };
  const run = new TrainerRun('feed', cfg, env);
  const result = await run.run();
  disposeFrozen(teacher!.model);
  teacher!.model.dispose();
  return { weights: run.checkpoint!.student, accuracy: result!.testAccuracy, events };
}

describe('the teacher feed (teacher one batch ahead, computed elsewhere)', () => {
  it('trains exactly as the in-process teacher does, requesting every batch once and in order', async () => {
    const log: number[] = [];
    const before = tf.memory().numTensors;
    const fed = await train((t) => asyncFeed(t, log));
    expect(tf.memory().numTensors).toBe(before);
    expect(fed.accuracy).toBe(plain.accuracy);
    fed.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(plain.weights[i])));
    const steps = config.epochs * Math.floor(Math.floor(digits.train.count * (1 - config.valFraction)) / config.batchSize);
    expect(log).toEqual(Array.from({ length: steps }, (_, i) => i));
    expect(fed.events.some((e) => e.type === 'status' && e.message.includes('teacher in a test feed'))).toBe(true);
  });

  it('falls back to the in-process teacher when the feed fails, with the same result', async () => {
    const broken = await train((t) => asyncFeed(t, [], true));
    expect(broken.accuracy).toBe(plain.accuracy);
    broken.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(plain.weights[i])));
    expect(broken.events.some((e) => e.type === 'status' && e.message.includes('the second worker failed, feed broke'))).toBe(true);
  });

  it('a teacher that runs only in its own worker (no feed, no model here) trains exactly as the in-process one', async () => {
    const before = tf.memory().numTensors;
    const far = await train(null, true);
    expect(tf.memory().numTensors).toBe(before);
    expect(far.accuracy).toBe(plain.accuracy);
    far.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(plain.weights[i])));
    // The key statistics (evaluation with the teacher's taps) came through the remote teacher too.
    expect(far.events.some((e) => e.type === 'eval' && e.report.keys !== null)).toBe(true);
  });

  it('when the worker of a teacher that runs only there fails, the run stops with that first error, not a fallback\'s', async () => {
    const err = await train((t) => asyncFeed(t, [], true), true).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toBe('The teacher\'s worker failed: feed broke');
  });

  it('with crop-flip augmentation the teacher one batch ahead sees the same augmented batches as the student', async () => {
    // The in-process teacher runs on exactly the student's batch; the feed's teacher on the batch
    // filled one step early. Equal weights mean both saw the same augmented images.
    const augmented: TrainConfig = { ...config, augment: 'crop-flip' };
    const here = await train(null, false, augmented);
    const fed = await train((t) => asyncFeed(t, []), false, augmented);
    expect(fed.accuracy).toBe(here.accuracy);
    fed.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(here.weights[i])));
    // And the augmentation did change the training (same seed, no augmentation: other weights).
    expect(Array.from(here.weights[0])).not.toEqual(Array.from(plain.weights[0]));
  });

  it('over two epochs without augmentation, epoch 2 is answered from the teacher-output cache, with the same weights', async () => {
    const twoEpochs: TrainConfig = { ...config, epochs: 2 };
    const here = await train(null, false, twoEpochs);
    const log: number[] = [];
    const fed = await train((t) => asyncFeed(t, log), false, twoEpochs);
    fed.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(here.weights[i])));
    expect(fed.accuracy).toBe(here.accuracy);
    // The first epoch's batches reached the teacher; in epoch 2 only batches holding one of the
    // images epoch 1 left out (the remainder after whole batches) did.
    const trainImages = digits.train.count - Math.round(digits.train.count * config.valFraction);
    const perEpoch = Math.floor(trainImages / config.batchSize);
    const leftOut = trainImages - perEpoch * config.batchSize;
    expect(log.length).toBeGreaterThanOrEqual(perEpoch);
    expect(log.length - perEpoch).toBeLessThanOrEqual(leftOut);
    expect(leftOut).toBeLessThan(perEpoch / 2);
    expect(fed.events.some((e) => e.type === 'status' && e.message.includes('teacher outputs cached after epoch 1'))).toBe(true);
    // With crop-flip every epoch's images differ: nothing is cached, and it says why.
    const augmentedLog: number[] = [];
    const augmented = await train((t) => asyncFeed(t, augmentedLog), false, { ...twoEpochs, augment: 'crop-flip' });
    expect(augmentedLog).toHaveLength(2 * perEpoch);
    expect(augmented.events.some((e) => e.type === 'status' && e.message.includes('augmentation changes its input every epoch'))).toBe(true);
  });
});

describe('teacherCacheFor', () => {
  const teacher = { inputShape: [224, 224, 3], numClasses: 10, tapNames: ['a', 'b'], tapShapes: [[56, 56, 24], [7, 7, 320]] } as unknown as FrozenTeacher;
  const cfg: TrainConfig = { ...config, epochs: 3, augment: 'none' };
  it('caches only what fits the budget, all or nothing, and says so', () => {
    // Logits and tap summaries: (10 + 24 + 56·56 + 320 + 7·7) floats = 14,156 bytes per image
    // (the taps themselves would be 363,816).
    expect(teacherCacheFor(cfg, teacher, 18_000).note).toBe('teacher outputs cached after epoch 1 (244 MB)');
    const big = teacherCacheFor(cfg, teacher, 19_000);
    expect(big.cache).toBeNull();
    expect(big.note).toBe('teacher outputs not cached: 257 MB for 19000 images exceeds the 256 MB budget');
    expect(teacherCacheFor({ ...cfg, epochs: 1 }, teacher, 10)).toEqual({ cache: null, note: null });
  });
  it('serves a batch only when all its images are in it, rows in the batch order', () => {
    // One tap of 1×2 pixels and 3 channels: 3 pooled and 2 energy values per image.
    const cache = new TeacherCache(2, [[1, 2, 3]], 4);
    cache.put([3, 1], { logits: Float32Array.from([30, 31, 10, 11]), pooled: [Float32Array.from([3, 3.1, 3.2, 1, 1.1, 1.2])], energy: [Float32Array.from([30, 30.5, 10, 10.5])] });
    expect(cache.has([1, 3])).toBe(true);
    expect(cache.has([1, 2])).toBe(false);
    const got = cache.get([1, 3]);
    expect(Array.from(got.logits)).toEqual([10, 11, 30, 31]);
    expect(Array.from(got.pooled[0])).toEqual(Array.from(Float32Array.from([1, 1.1, 1.2, 3, 3.1, 3.2])));
    expect(Array.from(got.energy[0])).toEqual([10, 10.5, 30, 30.5]);
  });
});
