/**
 * Measuring an imported teacher on a dataset, once and visibly: the input scaling detected on a
 * small labelled sample (DETECT_IMAGES training images), then the test accuracy with that scaling
 * on all test images or a stated subset, then batch-1 latency. Logits only (no tap is fetched),
 * batches sized from the teacher's activations under TEACHER_PASS_BUDGET_BYTES, progress after
 * each batch, and a cancel asked before each batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetInfo, PreprocessId, TeacherBaseline, TeacherChoice, TeacherProgress } from '../domain';
import { PREPROCESS_ORDER } from '../domain';
import { batchForBudget, TEACHER_PASS_BUDGET_BYTES } from '../domain/teacherBudget';
import { fillBatch } from '../ml/data/batches';
import { teacherForwardHere } from '../ml/teacher/forward';
import type { Dataset, FrozenTeacher, Split } from '../ml/types';
import { importedInfo, importedTeacher } from './teacherImport';

/** How a pass over many images is run: its batch, a progress report, and a way to stop it between batches. */
export interface PassControl {
  /** Images per pass (batchForBudget of the teacher's activation size). */
  batch?: number;
  progress?(done: number, total: number): void;
  /** Asked before each batch: true stops the pass with CANCELLED. */
  cancelled?(): boolean;
}

export const CANCELLED = 'Cancelled: the teacher measurement was stopped; nothing was changed.';

/** Index of the largest of `k` logits of row `r`, in dataset class order (classOrder maps a dataset class to the teacher's). */
function argmaxRow(logits: Float32Array, r: number, k: number, order: number[] | undefined): number {
  let best = 0;
  let bestV = -Infinity;
  const cols = order ? order.length : k;
  for (let j = 0; j < cols; j++) {
    const v = logits[r * k + (order ? order[j] : j)];
    if (v > bestV) { bestV = v; best = j; }
  }
  return best;
}

/** Logits of n images `x` of `shape` [H,W,C] (consumed), fetching no taps: a remote teacher asks for logits alone. */
async function logitsOf(teacher: FrozenTeacher, x: Float32Array, n: number, shape: [number, number, number]): Promise<Float32Array> {
  const pre = teacher.preprocess ?? 'unit';
  if (teacher.remote) return teacher.remote.logits ? teacher.remote.logits(x, n, pre) : (await teacher.remote.forward(x, n, pre)).logits;
  const input = tf.tensor4d(x, [n, ...shape]);
  const out = teacherForwardHere({ ...teacher, classOrder: undefined }, input);
  // The taps are disposed without being read back.
  const logits = (await out.logits.data()) as Float32Array;
  tf.dispose([input, out.logits, ...out.taps]);
  return logits;
}

/** Accuracy of `teacher` on `indices` of `split`, `ctl.batch` images per pass, logits only. */
async function accuracyOn(teacher: FrozenTeacher, ds: Dataset, split: Split, indices: Int32Array, ctl: PassControl = {}): Promise<number> {
  const [h, w, c] = ds.shape;
  const B = Math.max(1, Math.min(ctl.batch ?? 256, indices.length || 1));
  const yBuf = new Int32Array(B);
  let correct = 0;
  for (let s = 0; s < indices.length; s += B) {
    if (ctl.cancelled?.()) throw new Error(CANCELLED);
    const n = Math.min(B, indices.length - s);
    // A fresh buffer each pass: it is transferred to the teacher worker (and consumed there).
    const xBuf = new Float32Array(n * h * w * c);
    fillBatch(split, indices, s, n, ds.pixelMax, xBuf, yBuf);
    const logits = await logitsOf(teacher, xBuf, n, ds.shape);
    const k = logits.length / n;
    for (let i = 0; i < n; i++) if (argmaxRow(logits, i, k, teacher.classOrder) === yBuf[i]) correct += 1;
    ctl.progress?.(s + n, indices.length);
  }
  return indices.length ? correct / indices.length : NaN;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Batch-1 latency of the teacher where it runs (logits only): 5 warm-up passes, 30 timed, median and p95 (nearest rank). */
async function latencyOf(teacher: FrozenTeacher, ctl: PassControl): Promise<{ medianMs: number; p95Ms: number; runs: number }> {
  const per = teacher.inputShape.reduce((a, b) => a * b, 1);
  const image = Float32Array.from({ length: per }, (_, i) => ((i * 2654435761) % 1000) / 1000);
  const times: number[] = [];
  for (let i = 0; i < 35; i++) {
    if (ctl.cancelled?.()) throw new Error(CANCELLED);
    const t0 = performance.now();
    await logitsOf(teacher, image.slice(), 1, teacher.inputShape);
    if (i >= 5) times.push(performance.now() - t0);
    ctl.progress?.(i + 1, 35);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  return { medianMs: at(0.5), p95Ms: at(0.95), runs: times.length };
}

/** At most this many labelled training images decide the input scaling... */
export const DETECT_IMAGES = 256;
/** ...taken in rounds of this many, every scaling scored on each round. */
export const DETECT_ROUND = 64;

/**
 * Whether `n` images per scaling already decide it: the best scaling's accuracy leads the
 * runner-up's by at least 3 standard errors of their difference (a wrong scaling usually scores
 * near chance, so one round of 64 images is mostly enough; close calls go on to DETECT_IMAGES).
 */
export function scalingDecided(correct: readonly number[], n: number): boolean {
  if (n < DETECT_ROUND || correct.length < 2) return false;
  const [a, b] = correct.map((c) => c / n).sort((x, y) => y - x);
  const se = Math.sqrt((a * (1 - a) + b * (1 - b)) / n);
  return a - b >= 3 * Math.max(se, 1 / n);
}

/**
 * Accuracy of `teacher` under each input scaling (0–1, −1–1, ImageNet mean/std) on the first
 * labelled training images, in rounds of DETECT_ROUND until `scalingDecided` or DETECT_IMAGES;
 * the best first (ties keep the earlier one: 0–1 wins a tie). `images`: how many per scaling.
 */
export async function detectScaling(teacher: FrozenTeacher, ds: Dataset, ctl: PassControl = {}): Promise<{ best: PreprocessId; accuracy: Record<PreprocessId, number>; images: number }> {
  const most = Math.min(DETECT_IMAGES, ds.train.count);
  const correct = PREPROCESS_ORDER.map(() => 0);
  const total = most * PREPROCESS_ORDER.length;
  let n = 0;
  let before = 0;
  while (n < most && !scalingDecided(correct, n)) {
    const idx = Int32Array.from({ length: Math.min(DETECT_ROUND, most - n) }, (_, i) => n + i);
    for (const [i, p] of PREPROCESS_ORDER.entries()) {
      const acc = await accuracyOn({ ...teacher, preprocess: p }, ds, ds.train, idx, { ...ctl, progress: (d) => ctl.progress?.(before + d, total) });
      correct[i] += Math.round(acc * idx.length);
      before += idx.length;
    }
    n += idx.length;
  }
  const accuracy = Object.fromEntries(PREPROCESS_ORDER.map((p, i) => [p, n ? correct[i] / n : NaN])) as Record<PreprocessId, number>;
  const best = PREPROCESS_ORDER.reduce((a, b) => (accuracy[b] > accuracy[a] ? b : a));
  return { best, accuracy, images: n };
}

/** What a measurement reports and how it is stopped. */
export interface MeasureControl {
  progress?(p: TeacherProgress): void;
  cancelled?(): boolean;
  /** Score on the first `limit` test images only (0 or absent: all). */
  limit?: number;
  /** Detect the input scaling first (and score with the one detected). */
  detect?: boolean;
}

/** Images per scoring pass of the imported teacher of `fingerprint` on images of `shape`. */
export function scoringBatch(fingerprint: string, shape: [number, number, number]): number {
  const info = importedInfo(fingerprint);
  const inputFloats = Math.max(shape[0] * shape[1], info.inputShape[0] * info.inputShape[1]) * info.inputShape[2];
  return batchForBudget(info.activationFloats ?? 0, inputFloats);
}

/**
 * The baseline of the imported teacher of `choice` on `ds`: the scaling detected first when
 * asked, then the test accuracy (all test images, or the first `limit`) and latency.
 */
export async function teacherBaseline(choice: TeacherChoice, info: DatasetInfo, ds: Dataset, backend: string, m: MeasureControl = {}): Promise<{ baseline: TeacherBaseline; detected: Record<PreprocessId, number> | null }> {
  const teacher0 = await importedTeacher(choice, info);
  const batch = scoringBatch(choice.fingerprint, ds.shape);
  const ctl = (phase: TeacherProgress['phase']): PassControl => {
    let last = 0;
    const started = performance.now();
    return {
      batch, cancelled: m.cancelled,
      progress: (done, total) => {
        const now = performance.now();
        if (done < total && now - last < 200) return;
        last = now;
        m.progress?.({ phase, done, total, seconds: (now - started) / 1000 });
      },
    };
  };
  let preprocess = choice.preprocess;
  let detected: Record<PreprocessId, number> | null = null;
  if (m.detect) {
    const d = await detectScaling(teacher0, ds, ctl('detect'));
    detected = d.accuracy;
    preprocess = d.best;
    const seen = d.images * PREPROCESS_ORDER.length;
    m.progress?.({ phase: 'detect', done: seen, total: seen, seconds: 0, detected: d });
  }
  const teacher = { ...teacher0, preprocess };
  const n = m.limit && m.limit > 0 ? Math.min(m.limit, ds.test.count) : ds.test.count;
  const s0 = performance.now();
  const accuracy = await accuracyOn(teacher, ds, ds.test, range(n), ctl('score'));
  const seconds = (performance.now() - s0) / 1000;
  const l = await latencyOf(teacher, ctl('latency'));
  const runsOn = teacher.remote ? teacher.remote.where : `the training worker on ${backend}`;
  const latencyBackend = (teacher.remote ? (runsOn.includes('(webgpu)') ? 'webgpu' : 'wasm') : backend) as 'wasm';
  return {
    baseline: {
      fingerprint: choice.fingerprint, accuracy, images: n, testImages: ds.test.count, preprocess, runsOn,
      batchSize: batch, budgetBytes: TEACHER_PASS_BUDGET_BYTES, seconds,
      latency: { backend: latencyBackend, medianMs: l.medianMs, p95Ms: l.p95Ms, runs: l.runs, batchSize: 1 },
    },
    detected,
  };
}
