import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig, WorkerEvent } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { loadDatasetNode } from '../ml/data/loadNode';
import { buildModel, disposeFrozen } from '../ml/models';
import type { Dataset, TappedModel } from '../ml/types';
import { TrainerRun, type TrainerEnv } from './trainer';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;

beforeAll(async () => {
  await tf.setBackend('cpu');
  digits = await loadDatasetNode(DATA, 'digits');
});

function config(patch: Partial<TrainConfig>): TrainConfig {
  return {
    ...DEFAULT_CONFIG, dataset: 'digits', epochs: 2, batchSize: 32, trainLimit: 0, testLimit: 0,
    teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 },
    options: { ...DEFAULT_CONFIG.options, afd: { beta: 200, attnDim: 16 } }, ...patch,
  };
}

const teachers: TappedModel[] = [];

function env(events: WorkerEvent[], onEvent?: (e: WorkerEvent, run: () => TrainerRun) => void): { env: TrainerEnv; bind: (r: TrainerRun) => void } {
  let run: TrainerRun | null = null;
  return {
    bind: (r) => { run = r; },
    env: {
      emit: (e) => { events.push(e); onEvent?.(e, () => run!); },
      now: () => performance.now(),
      yieldToEvents: () => new Promise((r) => setImmediate(r)),
      loadData: async () => digits,
      loadTeacher: async (c) => {
        const t = buildModel(c.teacher, digits.shape, digits.numClasses, 5);
        teachers.push(t);
        return t;
      },
    },
  };
}

describe('TrainerRun on real 8×8 digits (cpu backend)', () => {
  it('trains a student to a useful accuracy on real data', async () => {
    const events: WorkerEvent[] = [];
    const e = env(events);
    const run = new TrainerRun('r0', config({ method: 'student-alone', epochs: 4, learningRate: 0.01 }), e.env);
    e.bind(run);
    const result = await run.run();
    // digits is split 80/20 by the loader; ten classes, chance 10%.
    expect(result!.testAccuracy).toBeGreaterThan(0.6);
    expect(result!.valAccuracy).toBeGreaterThan(0.6);
  });

  it('runs RTK and reports progress, per-epoch key statistics and a result, leaking nothing', async () => {
    const events: WorkerEvent[] = [];
    const e = env(events);
    const run = new TrainerRun('r1', config({ method: 'rtk', epochs: 2 }), e.env);
    e.bind(run);
    const before = tf.memory().numTensors;
    const result = await run.run();
    expect(result).not.toBeNull();
    expect(Number.isFinite(result!.testAccuracy)).toBe(true);
    const evals = events.filter((x) => x.type === 'eval').map((x) => (x as Extract<WorkerEvent, { type: 'eval' }>).report);
    expect(evals.filter((r) => r.split === 'val')).toHaveLength(2);
    // Key statistics are also sampled during each epoch, for the explorer's selection timeline.
    const samples = evals.filter((r) => r.split === 'sample');
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const r of samples) expect(r.keys?.kept).toHaveLength(3);
    const keys = evals[evals.length - 1].keys!;
    expect(keys.T).toBe(3);
    expect(keys.S).toBe(3);
    for (let n = 0; n < keys.T; n++) {
      const row = keys.attention.slice(n * keys.S, (n + 1) * keys.S).reduce((a, b) => a + b, 0);
      expect(row).toBeCloseTo(1, 4);
    }
    expect(keys.kept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
    expect(keys.influencePerClass).toHaveLength(10 * keys.T);
    expect(keys.teacherShapes).toHaveLength(keys.T);
    expect(keys.studentShapes).toHaveLength(keys.S);
    for (const f of [...keys.teacherFlops!, ...keys.studentFlops!]) expect(f).toBeGreaterThan(0);
    const confusionTotal = evals[evals.length - 1].confusion.reduce((a, b) => a + b, 0);
    expect(confusionTotal).toBe(digits.test.count);
    expect(events.some((x) => x.type === 'progress')).toBe(true);
    expect(events[events.length - 1].type).toBe('done');
    // The teacher (and its folded copy) belongs to the caller, not the run; all else is freed.
    for (const t of teachers.splice(0)) {
      disposeFrozen(t.model);
      t.model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets the page draw after a run starts, training starts and each evaluation, and emits nothing while it waits', async () => {
    const events: WorkerEvent[] = [];
    let waiting = false;
    const waitedAfter: string[] = [];
    const e = env(events, (ev) => { if (waiting) throw new Error(`${ev.type} emitted while the page was drawing`); });
    e.env.pageDrawn = async () => {
      const last = events[events.length - 1];
      waitedAfter.push(last.type === 'status' ? `status ${last.state}` : last.type === 'eval' ? `eval ${last.report.split}` : last.type);
      waiting = true;
      await new Promise((r) => setTimeout(r, 5));
      waiting = false;
    };
    const run = new TrainerRun('r-page', config({ method: 'rtk', epochs: 1 }), e.env);
    e.bind(run);
    expect(await run.run()).not.toBeNull();
    const evals = events.filter((x): x is Extract<WorkerEvent, { type: 'eval' }> => x.type === 'eval').map((x) => x.report.split);
    const during = evals.filter((sp) => sp !== 'test');
    expect(during).toContain('sample');
    // The test-set evaluation is followed by 'done' (the page waits for the next run itself).
    expect(waitedAfter).toEqual(['status loading', 'status running', ...during.map((sp) => `eval ${sp}`)]);
    for (const t of teachers.splice(0)) { disposeFrozen(t.model); t.model.dispose(); }
  });

  it('pauses, steps exactly one batch at a time with fresh key statistics, then stops', async () => {
    const events: WorkerEvent[] = [];
    let steps = 0;
    const e = env(events, (ev, run) => {
      if (ev.type === 'status' && ev.state === 'paused') run().step();
      if (ev.type === 'progress') {
        steps = ev.report.step;
        if (steps < 3) run().step(); else run().stop();
      }
    });
    const run = new TrainerRun('r2', config({ method: 'afd' }), e.env);
    e.bind(run);
    const result = await run.run(true);
    expect(result).toBeNull();
    expect(steps).toBe(3);
    const previews = events.filter((x) => x.type === 'eval');
    expect(previews).toHaveLength(3);
    expect((previews[0] as Extract<WorkerEvent, { type: 'eval' }>).report.keys).not.toBeNull();
    expect(run.currentState).toBe('stopped');
  });

  it('stops on a non-finite loss with a clear message and keeps the last good checkpoint', async () => {
    const events: WorkerEvent[] = [];
    const e = env(events);
    const run = new TrainerRun('r3', config({ method: 'student-alone', learningRate: Infinity, lrSchedule: 'constant' }), e.env);
    e.bind(run);
    expect(await run.run()).toBeNull();
    const err = events.find((x) => x.type === 'error') as Extract<WorkerEvent, { type: 'error' }>;
    expect(err.message).toMatch(/loss became (NaN|Infinity|-Infinity)/);
    expect(err.message).toMatch(/checkpoint of epoch 0 was kept/);
    expect(run.checkpoint?.epoch).toBe(0);
    expect(run.checkpoint!.student.every((w) => w.every(Number.isFinite))).toBe(true);
    expect(run.currentState).toBe('failed');
  });
});
