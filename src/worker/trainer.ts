/**
 * The trainer loop of one run: epochs of shuffled batches, pause / step one batch / stop,
 * throttled progress, evaluation per epoch, a checkpoint per good epoch, and a clean stop on a
 * NaN or infinite loss. Plain TypeScript: the worker entry and Node scripts drive it the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { CheckpointData, RunResult, RunState, TrainConfig, WorkerEvent } from '../domain';
import { datasetInfo, METHODS, packCheckpoint } from '../domain';
import type { Dataset, FrozenTeacher } from '../ml/types';
import { runsHere, teacherForward } from '../ml/teacher/forward';
import { buildModel } from '../ml/models';
import { modelCosts } from '../ml/models/costs';
import { cannotTrain, fillBatch, makeRng, shuffledIndices, splitTrainVal } from '../ml/data/batches';
import { DistillSession, type Snapshot } from '../ml/train/session';
import { evaluate } from '../ml/train/evaluate';
import { readEverySteps } from '../ml/train/readback';
import { learningRateAt } from '../ml/train/schedule';
import { augmentStep } from '../ml/data/augment';
import { TeacherPrefetch, type TeacherFeedChoice } from './teacherFeed';
import { teacherCacheFor } from './teacherCache';

export interface TrainerEnv {
  loadData(config: TrainConfig, onProgress: (msg: string) => void): Promise<Dataset>;
  loadTeacher(config: TrainConfig, ds: Dataset): Promise<FrozenTeacher | null>;
  emit(event: WorkerEvent): void;
  /** Lets queued messages (pause, stop) through; called every few tens of milliseconds. */
  yieldToEvents(): Promise<void>;
  now(): number;
  /**
   * Optional: a feed that runs the frozen teacher elsewhere (a second worker), one batch ahead
   * of the student. Without it, or when its `feed` is null, the session runs the teacher itself.
   */
  teacherFeed?(teacher: FrozenTeacher): Promise<TeacherFeedChoice>;
  /**
   * Optional: resolves once the page has drawn what the events so far changed (or after a short
   * cap). Awaited after the events that redraw much of the page (the run starts, training starts, an evaluation),
   * so on a small machine that redraw gets a core instead of sharing it with the next steps.
   */
  pageDrawn?(): Promise<void>;
  /** Called with the trained session before it is disposed (Node scripts save the model here). */
  onTrained?(session: DistillSession): Promise<void> | void;
}

const REPORT_EVERY_MS = 200;
const YIELD_EVERY_MS = 40;
const KEY_STATS_LIMIT = 2000;
const STEP_PREVIEW_IMAGES = 512;
/**
 * Attention runs also measure the key statistics a few times per epoch on a small validation
 * sample, so the explorer's selection timeline shows how the kept keys settle during training
 * (inference only: the training itself is unchanged). One sample per 1,500 training images (at
 * least one, at most four per epoch), so the extra forward passes stay a few per cent of an epoch.
 */
const KEY_SNAPSHOTS_PER_EPOCH = 4;
const KEY_SNAPSHOT_IMAGES = 128;
const KEY_SNAPSHOT_TRAIN_IMAGES = 1500;

export class TrainerRun {
  private state: RunState = 'loading';
  private pendingSteps = 0;
  private wake: (() => void) | null = null;
  session: DistillSession | null = null;
  /** Last good checkpoint (weights after the last finished epoch, or the initial weights). */
  checkpoint: Snapshot | null = null;

  constructor(
    readonly runId: string,
    readonly config: TrainConfig,
    private readonly env: TrainerEnv,
    /** Weights of an earlier, interrupted run of the same configuration to continue from. */
    private readonly resumeFrom: CheckpointData | null = null,
  ) {}

  pause(): void { if (this.state === 'running') this.setState('paused', 'Paused'); }
  resume(): void { if (this.state === 'paused') { this.setState('running', this.trainingMessage()); this.kick(); } }
  step(): void { if (this.state === 'paused' || this.state === 'loading') { this.pendingSteps += 1; this.kick(); } }
  stop(): void { if (this.state !== 'done' && this.state !== 'failed') { this.setState('stopped', 'Stopped'); this.kick(); } }
  get currentState(): RunState { return this.state; }

  /** Where the teacher runs, for the status line (null: no teacher, or the env has no feed). */
  private teacherNote: string | null = null;
  /** Steps between two reads of the loss (WebGPU: every N steps, see ml/train/readback.ts). */
  private readEvery = 1;
  private trainingMessage(): string {
    const parts = ['Training', this.teacherNote, this.readEvery > 1 ? `losses read every ${this.readEvery} steps` : null];
    return parts.filter(Boolean).join(' · ');
  }

  private kick(): void { const w = this.wake; this.wake = null; w?.(); }
  private setState(state: RunState, message: string): void {
    this.state = state;
    this.env.emit({ type: 'status', runId: this.runId, state, message });
  }

  /** Waits while paused; returns false when the run was stopped. */
  private async gate(): Promise<boolean> {
    while (this.state === 'paused' && this.pendingSteps === 0) {
      await new Promise<void>((r) => { this.wake = r; });
    }
    return this.state !== 'stopped';
  }

  async run(startPaused = false): Promise<RunResult | null> {
    const { config, env } = this;
    const t0 = env.now();
    this.setState('loading', 'Loading data');
    // The page redraws much of itself when a run starts (the set-up steps fold): let it finish first.
    await env.pageDrawn?.();
    const ds = await env.loadData(config, (msg) => env.emit({ type: 'status', runId: this.runId, state: 'loading', message: msg }));
    // A run that cannot train says why now, not with a batch error partway.
    const why = cannotTrain(ds.train, ds.numClasses, ds.classNames, config.valFraction, config.batchSize, datasetInfo(config.dataset).label);
    if (why) throw new Error(why);
    const teacher = METHODS[config.method].usesTeacher ? await env.loadTeacher(config, ds) : null;
    if (this.state === 'stopped') return null;
    if (teacher && teacher.tapShapes.length === 0 && config.method !== 'kd') {
      throw new Error(`${METHODS[config.method].label} compares feature maps, and this teacher has no 4-D intermediate output: pick KD, or a teacher with feature maps.`);
    }
    const student = buildModel(config.student, ds.shape, ds.numClasses, config.seed);
    const session = new DistillSession(config, student, teacher);
    this.session = session;
    const choice = teacher && env.teacherFeed ? await env.teacherFeed(teacher) : null;
    const cached = teacher && choice?.feed ? teacherCacheFor(config, teacher, ds.train.count) : null;
    const prefetch = teacher && choice?.feed ? new TeacherPrefetch(choice.feed, teacher, config.batchSize, cached?.cache ?? null) : null;
    this.teacherNote = [choice?.note, cached?.note].filter(Boolean).join('; ') || null;
    try {
      return await this.loop(ds, session, t0, startPaused, prefetch);
    } finally {
      prefetch?.clear();
      session.dispose();
      this.session = null;
    }
  }

  private async loop(ds: Dataset, session: DistillSession, t0: number, startPaused: boolean, prefetch: TeacherPrefetch | null): Promise<RunResult | null> {
    const { config, env, runId } = this;
    const [h, w, c] = ds.shape;
    const B = config.batchSize;
    const { trainIdx, valIdx } = splitTrainVal(ds.train.count, config.valFraction, config.seed);
    const testIdx = Int32Array.from({ length: ds.test.count }, (_, i) => i);
    const stepsPerEpoch = Math.max(1, Math.floor(trainIdx.length / B));
    const totalSteps = stepsPerEpoch * config.epochs;
    const snapshots = Math.min(KEY_SNAPSHOTS_PER_EPOCH, Math.max(1, Math.floor(trainIdx.length / KEY_SNAPSHOT_TRAIN_IMAGES)));
    const snapshotEvery = Math.max(1, Math.ceil(stepsPerEpoch / (snapshots + 1)));
    const rng = makeRng(config.seed);
    let xBuf = new Float32Array(B * h * w * c);
    let yBuf = new Int32Array(B);
    // The next batch, filled early so the teacher feed can start on it during this step.
    let xNext = prefetch ? new Float32Array(B * h * w * c) : xBuf;
    let yNext = prefetch ? new Int32Array(B) : yBuf;
    // Training batches only, augmented as they are filled, so the teacher (in its worker, one
    // batch ahead) and the student see the same images.
    const scratch = new Float32Array(h * w * c);
    const fill = (order: ArrayLike<number>, epoch: number, s: number, xb: Float32Array, yb: Int32Array) => {
      fillBatch(ds.train, order, s * B, B, ds.pixelMax, xb, yb);
      augmentStep(config.augment ?? 'none', xb, B, ds.shape, config.seed, epoch, s, scratch);
      return xb;
    };
    let firstEpoch = 0;
    if (this.resumeFrom) {
      session.restore(this.resumeFrom);
      firstEpoch = Math.min(this.resumeFrom.epoch, config.epochs);
      // The shuffles of the finished epochs are replayed so the data order matches an uninterrupted run.
      for (let e = 0; e < firstEpoch; e++) shuffledIndices(trainIdx.length, rng);
    }
    let good: Snapshot = await session.snapshot(firstEpoch);
    this.checkpoint = good;
    let step = firstEpoch * stepsPerEpoch;
    let stepsHere = 0;
    let lastReport = -Infinity;
    let lastYield = env.now();
    let trainMs = 0;
    this.readEvery = readEverySteps(tf.getBackend());
    let lastRead = step;
    let valAccuracy: number | null = null;
    this.setState(startPaused ? 'paused' : 'running', startPaused ? 'Ready: step one batch or resume' : this.trainingMessage());
    await env.pageDrawn?.();

    for (let epoch = firstEpoch; epoch < config.epochs; epoch++) {
      const order = shuffledIndices(trainIdx.length, rng).map((i) => trainIdx[i]);
      for (let s = 0; s < stepsPerEpoch; s++) {
        if (!(await this.gate())) return null;
        const stepping = this.state === 'paused' && this.pendingSteps > 0;
        if (stepping) this.pendingSteps -= 1;
        const ts = env.now();
        if (config.lrSchedule !== 'constant') session.setLearningRate(learningRateAt(config.lrSchedule, config.learningRate, step, totalSteps));
        if (prefetch && s > 0) {
          // Step s − 1 filled this batch as its look-ahead: use it rather than fill it again.
          [xBuf, xNext] = [xNext, xBuf];
          [yBuf, yNext] = [yNext, yBuf];
        } else {
          fill(order, epoch, s, xBuf, yBuf);
        }
        const next = s + 1 < stepsPerEpoch
          ? { key: `${epoch}:${s + 1}`, fill: () => fill(order, epoch, s + 1, xNext, yNext), indices: order.subarray((s + 1) * B, (s + 2) * B) }
          : null;
        const x = tf.tensor4d(xBuf, [B, h, w, c]);
        const teacher = session.teacher;
        // A teacher that runs only in its own worker is asked here when there is no feed.
        const teacherOut = prefetch ? await prefetch.ahead(`${epoch}:${s}`, xBuf, next, order.subarray(s * B, (s + 1) * B))
          : teacher && !runsHere(teacher) ? await teacherForward(teacher, x) : null;
        if (prefetch?.failure != null && teacher && !runsHere(teacher)) {
          // This teacher (ONNX) runs only in its worker: there is nothing to fall back on, so the
          // run stops with the worker's own error rather than a later one that hides it.
          throw new Error(`The teacher's worker failed: ${prefetch.failure}`);
        }
        if (prefetch?.failure != null && !this.teacherNote?.includes(prefetch.failure)) {
          // The session runs the teacher itself from here on; say so once.
          this.teacherNote = `teacher in the training worker: the second worker failed, ${prefetch.failure}`;
          if (this.state === 'running') this.setState('running', this.trainingMessage());
        }
        const y = tf.tensor1d(yBuf, 'int32');
        const stats = session.trainStep(x, y, epoch, teacherOut);
        tf.dispose([x, y]);
        step += 1;
        stepsHere += 1;
        const last = s === stepsPerEpoch - 1;
        const now = env.now();
        if (stepping || last || (now - lastReport >= REPORT_EVERY_MS && step - lastRead >= this.readEvery)) {
          // One readback for all five scalars.
          const packed = tf.stack([stats.total, stats.ce, stats.kd, stats.feat, stats.correct]);
          const [total, ce, kd, feat, correct] = Array.from(await packed.data());
          packed.dispose();
          lastRead = step;
          trainMs += env.now() - ts;
          if (!Number.isFinite(total)) {
            tf.dispose(Object.values(stats));
            return this.fail(session, good, `The loss became ${total} at epoch ${epoch + 1}, step ${s + 1}. ` +
              `Training stopped and the checkpoint of epoch ${good.epoch} was kept. Try a lower learning rate.`);
          }
          lastReport = now;
          env.emit({ type: 'progress', runId, report: {
            epoch, step, stepsPerEpoch, totalSteps, elapsedMs: now - t0,
            samplesPerSec: trainMs > 0 ? (stepsHere * B) / (trainMs / 1000) : 0,
            loss: { total, ce, kd, feat }, trainAccuracy: correct / B,
          } });
        } else {
          trainMs += env.now() - ts;
        }
        tf.dispose(Object.values(stats));
        if (stepping) {
          const preview = await evaluate(session, ds, ds.train, valIdx.subarray(0, STEP_PREVIEW_IMAGES),
            { epoch, splitName: 'val', batchSize: B, keyStatsLimit: STEP_PREVIEW_IMAGES });
          env.emit({ type: 'eval', runId, report: preview });
        } else if (session.attention && valIdx.length > 0 && !last && (s + 1) % snapshotEvery === 0) {
          const snap = await evaluate(session, ds, ds.train, valIdx.subarray(0, KEY_SNAPSHOT_IMAGES),
            { epoch, splitName: 'sample', batchSize: B, keyStatsLimit: KEY_SNAPSHOT_IMAGES });
          env.emit({ type: 'eval', runId, report: snap });
          await env.pageDrawn?.();
        }
        if (env.now() - lastYield >= YIELD_EVERY_MS) { await env.yieldToEvents(); lastYield = env.now(); }
      }
      if (valIdx.length > 0) {
        const report = await evaluate(session, ds, ds.train, valIdx, { epoch, splitName: 'val', batchSize: B, keyStatsLimit: KEY_STATS_LIMIT });
        env.emit({ type: 'eval', runId, report });
        valAccuracy = report.accuracy;
        await env.pageDrawn?.();
      }
      good = await session.snapshot(epoch + 1);
      this.checkpoint = good;
      env.emit({ type: 'checkpoint', runId, checkpoint: packCheckpoint(good) });
      await env.yieldToEvents();
    }
    const test = await evaluate(session, ds, ds.test, testIdx, { epoch: config.epochs - 1, splitName: 'test', batchSize: B, keyStatsLimit: KEY_STATS_LIMIT });
    env.emit({ type: 'eval', runId, report: test });
    const result: RunResult = {
      testAccuracy: test.accuracy, valAccuracy, test, studentCosts: modelCosts(session.student),
      wallMs: env.now() - t0, checkpointEpoch: good.epoch,
    };
    await env.onTrained?.(session);
    this.setState('done', `Done: test accuracy ${(test.accuracy * 100).toFixed(2)}%`);
    env.emit({ type: 'done', runId, result });
    return result;
  }

  private fail(session: DistillSession, good: Snapshot, message: string): null {
    session.restore(good);
    this.state = 'failed';
    this.env.emit({ type: 'error', runId: this.runId, message });
    this.env.emit({ type: 'status', runId: this.runId, state: 'failed', message });
    return null;
  }
}
