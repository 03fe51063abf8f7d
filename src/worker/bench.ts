/**
 * In-worker speed benchmark: real data batches through the real DistillSession step, for the
 * student alone and for a full RTK step (teacher forward, student, attention loss, optimiser),
 * plus the change in tf.memory().numTensors over many steps.
 *
 * The RTK step is timed as a run trains: where the run would use the teacher worker (wasm, two
 * or more cores), the teacher's forward pass of the next batch runs there during each step,
 * and the time spent waiting for it counts. `teacherFeed` in the figures says where it ran.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchFigures, BenchSpeedRequest, TrainConfig } from '../domain';
import { buildModel } from '../ml/models';
import { modelCosts } from '../ml/models/costs';
import { disposeFrozen } from '../ml/models/frozen';
import { fillBatch } from '../ml/data/batches';
import { DistillSession } from '../ml/train/session';
import type { Dataset, FrozenTeacher } from '../ml/types';
import { webgpuCounter } from '../ml/backend/webgpuCounter';
import { readEverySteps } from '../ml/train/readback';
import { closeTeacherFeed, teacherFeedFor } from './teacherClient';
import { TeacherPrefetch } from './teacherFeed';

async function timeSteps(session: DistillSession, ds: Dataset, B: number, steps: number, offset: number, prefetch: TeacherPrefetch | null, readLast = true): Promise<number> {
  const [h, w, c] = ds.shape;
  const order = Int32Array.from({ length: ds.train.count }, (_, i) => i);
  let xBuf = new Float32Array(B * h * w * c);
  let yBuf = new Int32Array(B);
  let xNext = new Float32Array(B * h * w * c);
  let yNext = new Int32Array(B);
  const perEpoch = Math.floor(ds.train.count / B);
  const at = (s: number) => ((offset + s) % perEpoch) * B;
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    if (prefetch && s > 0) {
      // Filled by step s − 1 as its look-ahead.
      [xBuf, xNext] = [xNext, xBuf];
      [yBuf, yNext] = [yNext, yBuf];
    } else {
      fillBatch(ds.train, order, at(s), B, ds.pixelMax, xBuf, yBuf);
    }
    const next = s + 1 < steps ? { key: String(offset + s + 1), fill: () => { fillBatch(ds.train, order, at(s + 1), B, ds.pixelMax, xNext, yNext); return xNext; } } : null;
    const teacherOut = prefetch ? await prefetch.ahead(String(offset + s), xBuf, next) : null;
    const x = tf.tensor4d(xBuf, [B, h, w, c]);
    const y = tf.tensor1d(yBuf, 'int32');
    const stats = session.trainStep(x, y, 0, teacherOut);
    // One readback, after the last step: the time includes the device finishing every queued step.
    if (s === steps - 1 && readLast) await stats.total.data();
    tf.dispose([x, y, ...Object.values(stats)]);
  }
  return performance.now() - t0;
}

const WARMUP_MS = 5000;
/** Steady-state steps the WebGPU counts are averaged over. */
const COUNT_STEPS = 3;

/**
 * What one steady-state step issues on WebGPU (null elsewhere): the counter is reset after two
 * finished steps, then COUNT_STEPS steps run without reading anything back, as the trainer's
 * steps between two progress reports do.
 */
export async function countSteps(session: DistillSession, ds: Dataset, B: number, prefetch: TeacherPrefetch | null, breakdownRows = 15) {
  const counter = webgpuCounter();
  if (!counter) return null;
  // Two finished steps first: the buffer pool holds what a step needs from the second on.
  await timeSteps(session, ds, B, 2, 0, prefetch);
  counter.reset();
  await timeSteps(session, ds, B, COUNT_STEPS, 1, prefetch, false);
  const per = counter.perStep(COUNT_STEPS);
  const byProgram = Object.fromEntries(counter.breakdown(breakdownRows).map((r) => [r.program, r.dispatches / COUNT_STEPS]));
  await timeSteps(session, ds, B, 1, 0, prefetch);
  return {
    dispatchesPerStep: per.dispatches, submitsPerStep: per.submits, buffersCreatedPerStep: per.buffersCreated,
    readbacksPerStep: per.readbacks, computePassesPerStep: per.computePasses, bindGroupsPerStep: per.bindGroups,
    writeBuffersPerStep: per.writeBuffers, bytesWrittenPerStep: per.bytesWritten, steps: COUNT_STEPS, batchSize: B,
    readEverySteps: readEverySteps(tf.getBackend()), byProgram,
  };
}

export interface Measured { samplesPerSec: number; session: DistillSession; prefetch: TeacherPrefetch | null; feedNote: string; counts: Awaited<ReturnType<typeof countSteps>> }

/** Samples per second of `steps` steps after `warmup` steps, for one method (`given`: this teacher instead of a fresh one). */
export async function measure(config: TrainConfig, ds: Dataset, method: TrainConfig['method'], req: Pick<BenchSpeedRequest, 'warmupSteps' | 'steps'>, given?: FrozenTeacher): Promise<Measured> {
  const cfg: TrainConfig = { ...config, method };
  const student = buildModel(cfg.student, ds.shape, ds.numClasses, cfg.seed);
  const teacher = method === 'student-alone' ? null : given ?? buildModel(cfg.teacher, ds.shape, ds.numClasses, cfg.seed + 1);
  const session = new DistillSession(cfg, student, teacher);
  const choice = teacher ? await teacherFeedFor(teacher) : { feed: null, note: 'no teacher' };
  const prefetch = teacher && choice.feed ? new TeacherPrefetch(choice.feed, teacher, cfg.batchSize) : null;
  // Warm-up: at least warmupSteps and at least WARMUP_MS, so the first method is not timed while
  // the engine still compiles and tunes (V8 tiers wasm up in the background). On this VM the
  // host's own drift stays larger than that effect; bench/run.mjs repeats runs for that.
  const w0 = performance.now();
  let warm = 0;
  while (warm < req.warmupSteps || performance.now() - w0 < WARMUP_MS) {
    await timeSteps(session, ds, cfg.batchSize, req.warmupSteps || 1, warm, prefetch);
    warm += req.warmupSteps || 1;
  }
  const ms = await timeSteps(session, ds, cfg.batchSize, req.steps, warm, prefetch);
  const counts = await countSteps(session, ds, cfg.batchSize, prefetch);
  return { samplesPerSec: (req.steps * cfg.batchSize) / (ms / 1000), session, prefetch, feedNote: prefetch?.failure ?? choice.note, counts };
}

export async function benchSpeed(req: BenchSpeedRequest, ds: Dataset): Promise<BenchFigures> {
  const { config } = req;
  const alone = await measure(config, ds, 'student-alone', req);
  const studentFlops = modelCosts(alone.session.student).flopsPerImage;
  const studentParams = modelCosts(alone.session.student).params;
  alone.session.dispose();
  const rtk = await measure(config, ds, 'rtk', req);
  const teacherModel = rtk.session.teacher!.model!;
  const teacherFlops = modelCosts({ model: teacherModel }).flopsPerImage;
  const teacherParams = modelCosts({ model: teacherModel }).params;
  // Leak check: numTensors after warm-up vs after driftSteps more full RTK steps.
  const before = tf.memory().numTensors;
  await timeSteps(rtk.session, ds, config.batchSize, req.driftSteps, 0, rtk.prefetch);
  const drift = tf.memory().numTensors - before;
  await closeTeacherFeed(rtk.session.teacher!);
  disposeFrozen(teacherModel);
  teacherModel.dispose();
  rtk.session.dispose();
  return {
    backend: tf.getBackend(),
    batchSize: config.batchSize,
    studentSamplesPerSec: Math.round(alone.samplesPerSec),
    rtkStepSamplesPerSec: Math.round(rtk.samplesPerSec),
    teacherFeed: rtk.feedNote,
    numTensorsDrift: drift,
    driftSteps: req.driftSteps,
    measuredSteps: req.steps,
    warmupSteps: req.warmupSteps,
    warmupMinSeconds: WARMUP_MS / 1000,
    teacherFlops,
    studentFlops,
    teacherParams,
    studentParams,
    teacher: `${config.teacher.arch} w${config.teacher.width} d${config.teacher.depth}`,
    student: `${config.student.arch} w${config.student.width} d${config.student.depth}`,
    dataset: config.dataset,
    ...(alone.counts && rtk.counts ? { webgpuCounts: { student: alone.counts, rtk: rtk.counts } } : {}),
  };
}
