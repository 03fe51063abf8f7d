/**
 * Evaluation of a session on a split: accuracy, per-class accuracy, the confusion matrix and,
 * for attention methods, the key statistics the explorer needs (RTK.md "the studio also
 * records"): batch-mean attention α [T,S], influence [T] overall and per class, kept mask.
 */
import * as tf from '@tensorflow/tfjs';
import type { EvalReport, KeyStats } from '../../domain';
import { classNullMeans, selectKeys, influenceFromAttention } from '../../domain';
import { importanceColumns } from '../losses/rtk';
import type { Dataset, Split } from '../types';
import { fillBatch } from '../data/batches';
import { teacherForward } from '../teacher/forward';
import { tapFlops } from '../models/costs';
import type { DistillSession } from './session';

export interface EvalOptions {
  epoch: number;
  splitName: 'val' | 'test' | 'sample';
  batchSize: number;
  /** Attention statistics use at most this many images (the teacher pass is costly). */
  keyStatsLimit: number;
}

/**
 * Runs the student (and, for attention methods, the teacher) over `indices` of `split`.
 * Results are read with the asynchronous `data()`: WebGPU's synchronous read goes through a
 * canvas, which is slow on real adapters and reads zeros on Chromium's software one.
 */
export async function evaluate(session: DistillSession, ds: Dataset, split: Split, indices: Int32Array, opts: EvalOptions): Promise<EvalReport> {
  const [h, w, c] = ds.shape;
  const C = ds.numClasses;
  const confusion = new Array<number>(C * C).fill(0);
  const B = opts.batchSize;
  const xBuf = new Float32Array(B * h * w * c);
  const yBuf = new Int32Array(B);
  const wantKeys = session.attention !== null && session.teacher !== null;
  const T = session.teacher?.tapShapes.length ?? 0;
  const S = session.student.tapShapes.length;
  const TS = T * S;
  // Per-image importance matrices of both rules ([T,S] each), for the means, the spread over
  // groups of images and the bias check's resampling (at most keyStatsLimit images).
  const keyCap = wantKeys ? Math.min(opts.keyStatsLimit, indices.length) : 0;
  const afdImg = new Float32Array(keyCap * TS);
  const keysImg = new Float32Array(keyCap * TS);
  const keyLabels = new Int32Array(keyCap);
  let keyImages = 0;

  for (let start = 0; start < indices.length; start += B) {
    const n = Math.min(B, indices.length - start);
    fillBatch(split, indices, start, n, ds.pixelMax, xBuf, yBuf);
    const labels = yBuf.subarray(0, n);
    const take = Math.min(n, keyCap - keyImages);
    // [pred] or [pred, α [n, T·S], 'keys' importance [n, T·S]]
    const x = tf.tensor4d(xBuf.subarray(0, n * h * w * c), [n, h, w, c]);
    const t = take > 0 ? await teacherForward(session.teacher!, x) : null;
    const res: tf.Tensor[] = tf.tidy(() => {
      const out = session.student.apply(x, false);
      const pred = tf.argMax(out.logits, 1);
      if (!t) return [pred];
      const { alpha, z } = session.attention!.forward(t.taps, out.taps, false);
      return [pred, tf.reshape(alpha, [n, TS]), tf.reshape(importanceColumns(alpha, z, 'keys'), [n, TS])];
    });
    tf.dispose(t ? [x, t.logits, ...t.taps] : [x]);
    const [pred, a, kz] = await Promise.all(res.map((r) => r.data()));
    for (let i = 0; i < n; i++) confusion[labels[i] * C + pred[i]] += 1;
    if (res.length === 3) {
      afdImg.set(a.subarray(0, take * TS), keyImages * TS);
      keysImg.set(kz.subarray(0, take * TS), keyImages * TS);
      keyLabels.set(labels.subarray(0, take), keyImages);
      keyImages += take;
    }
    tf.dispose(res);
  }

  let correct = 0;
  const perClassAccuracy: number[] = [];
  for (let k = 0; k < C; k++) {
    let row = 0;
    for (let j = 0; j < C; j++) row += confusion[k * C + j];
    correct += confusion[k * C + k];
    perClassAccuracy.push(row ? confusion[k * C + k] / row : NaN);
  }
  const keys = keyImages > 0
    ? keyStats(session, { afd: afdImg.subarray(0, keyImages * TS), keys: keysImg.subarray(0, keyImages * TS), labels: keyLabels.subarray(0, keyImages) },
      C, opts.splitName === 'test' ? BIAS_NULL_DRAWS : 0)
    : null;
  return {
    epoch: opts.epoch,
    split: opts.splitName,
    accuracy: indices.length ? correct / indices.length : NaN,
    perClassAccuracy,
    confusion,
    numClasses: C,
    keys,
  };
}

/** Images per group for the influence's spread over evaluation batches. */
export const SPREAD_GROUP = 64;
/** Random image sets per class for the bias check (final test evaluation). */
export const BIAS_NULL_DRAWS = 200;

interface PerImage { afd: Float32Array; keys: Float32Array; labels: Int32Array }

/** Mean of rows [from, to) of an N × TS array. */
function meanRows(a: Float32Array, TS: number, from: number, to: number): number[] {
  const out = new Array<number>(TS).fill(0);
  for (let i = from; i < to; i++) for (let e = 0; e < TS; e++) out[e] += a[i * TS + e];
  return out.map((v) => v / Math.max(1, to - from));
}

/** Mean per class, C × TS, over the images of each class. */
function meanPerClass(a: Float32Array, labels: Int32Array, TS: number, C: number, count: number[]): number[] {
  const out = new Array<number>(C * TS).fill(0);
  for (let i = 0; i < labels.length; i++) for (let e = 0; e < TS; e++) out[labels[i] * TS + e] += a[i * TS + e];
  for (let c = 0; c < C; c++) for (let e = 0; e < TS; e++) out[c * TS + e] = count[c] ? out[c * TS + e] / count[c] : 0;
  return out;
}

function keyStats(session: DistillSession, img: PerImage, C: number, nullDraws: number): KeyStats {
  const T = session.teacher!.tapShapes.length;
  const S = session.student.tapShapes.length;
  const TS = T * S;
  const N = img.labels.length;
  const { k, threshold, importance } = session.options.rtk;
  const attention = meanRows(img.afd, TS, 0, N);
  const competition = meanRows(img.keys, TS, 0, N);
  // The selection the run trains with uses its own importance rule.
  const sel = selectKeys(importance === 'keys' ? competition : attention, T, S, k, threshold);
  const classCount = new Array<number>(C).fill(0);
  for (let i = 0; i < N; i++) classCount[img.labels[i]] += 1;
  const attentionPerClass = meanPerClass(img.afd, img.labels, TS, C, classCount);
  const competitionPerClass = meanPerClass(img.keys, img.labels, TS, C, classCount);
  const influencePerClass: number[] = [];
  const own = importance === 'keys' ? competitionPerClass : attentionPerClass;
  for (let c = 0; c < C; c++) influencePerClass.push(...influenceFromAttention(own.slice(c * TS, (c + 1) * TS), T, S, k));
  const groups = { size: SPREAD_GROUP, afd: [] as number[], keys: [] as number[] };
  for (let g = 0; g + SPREAD_GROUP <= N; g += SPREAD_GROUP) {
    groups.afd.push(...meanRows(img.afd, TS, g, g + SPREAD_GROUP));
    groups.keys.push(...meanRows(img.keys, TS, g, g + SPREAD_GROUP));
  }
  const classNull = nullDraws > 0
    ? { R: nullDraws, afd: Array.from(classNullMeans(img.afd, N, TS, classCount, nullDraws, 1)),
      keys: Array.from(classNullMeans(img.keys, N, TS, classCount, nullDraws, 1)) }
    : undefined;
  const isAfd = session.config.method === 'afd';
  return {
    T,
    S,
    teacherTaps: session.teacher!.tapNames,
    studentTaps: session.student.tapNames,
    attention,
    influence: sel.influence,
    influencePerClass,
    attentionPerClass,
    images: N,
    // AFD distils every key; RTK keeps those above the threshold.
    kept: isAfd ? sel.kept.map(() => 1) : sel.kept,
    k,
    tau: sel.tau,
    importance,
    competition,
    groups,
    classCount,
    competitionPerClass,
    ...(classNull ? { classNull } : {}),
    teacherShapes: session.teacher!.tapShapes.map((t) => [...t] as [number, number, number]),
    studentShapes: session.student.tapShapes.map((t) => [...t] as [number, number, number]),
    // An ONNX teacher has no TF.js layers to walk: its per-tap cost is unknown, and left out (the
    // views say "—" rather than "0 FLOPs").
    ...(session.teacher!.model ? { teacherFlops: flopsOf(session.teacher!.model) } : {}),
    studentFlops: flopsOf(session.student.model),
  };
}

/** Per-tap FLOPs, once per model (a walk over its layers). */
const tapFlopsCache = new WeakMap<tf.LayersModel, number[]>();
function flopsOf(model: tf.LayersModel): number[] {
  let f = tapFlopsCache.get(model);
  if (!f) { f = tapFlops(model); tapFlopsCache.set(model, f); }
  return f;
}
