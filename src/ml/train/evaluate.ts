/**
 * Evaluation of a session on a split: accuracy, per-class accuracy, the confusion matrix and,
 * for attention methods, the key statistics the explorer needs (RTK.md "the studio also
 * records"): batch-mean attention α [T,S], influence [T] overall and per class, kept mask.
 */
import * as tf from '@tensorflow/tfjs';
import type { EvalReport, KeyStats } from '../../domain';
import { selectKeys, influenceFromAttention } from '../../domain';
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
  let alphaSum: Float32Array | null = wantKeys ? new Float32Array(T * S) : null;
  let classAlphaSum: Float32Array | null = wantKeys ? new Float32Array(C * T * S) : null;
  const classCount = new Array<number>(C).fill(0);
  let keyImages = 0;

  for (let start = 0; start < indices.length; start += B) {
    const n = Math.min(B, indices.length - start);
    fillBatch(split, indices, start, n, ds.pixelMax, xBuf, yBuf);
    const labels = yBuf.subarray(0, n);
    const withKeys = wantKeys && keyImages < opts.keyStatsLimit;
    // [pred] or [pred, Σ_b α [T·S], Σ_b per class α [C, T·S]]
    const x = tf.tensor4d(xBuf.subarray(0, n * h * w * c), [n, h, w, c]);
    const t = withKeys ? await teacherForward(session.teacher!, x) : null;
    const res: tf.Tensor[] = tf.tidy(() => {
      const out = session.student.apply(x, false);
      const pred = tf.argMax(out.logits, 1);
      if (!t) return [pred];
      const { alpha } = session.attention!.forward(t.taps, out.taps, false);
      const flat = tf.reshape(alpha, [n, T * S]);
      const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), C).toFloat();
      return [pred, tf.sum(flat, 0), tf.matMul(onehot, flat, true, false)];
    });
    tf.dispose(t ? [x, t.logits, ...t.taps] : [x]);
    const [pred, a, ca] = await Promise.all(res.map((t) => t.data()));
    for (let i = 0; i < n; i++) confusion[labels[i] * C + pred[i]] += 1;
    if (res.length === 3 && alphaSum && classAlphaSum) {
      for (let i = 0; i < a.length; i++) alphaSum[i] += a[i];
      for (let i = 0; i < ca.length; i++) classAlphaSum[i] += ca[i];
      for (let i = 0; i < n; i++) classCount[labels[i]] += 1;
      keyImages += n;
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
  let keys: KeyStats | null = null;
  if (alphaSum && classAlphaSum && keyImages > 0) {
    keys = keyStats(session, alphaSum, classAlphaSum, classCount, keyImages, C);
    alphaSum = classAlphaSum = null;
  }
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

function keyStats(session: DistillSession, alphaSum: Float32Array, classAlphaSum: Float32Array, classCount: number[], images: number, C: number): KeyStats {
  const T = session.teacher!.tapShapes.length;
  const S = session.student.tapShapes.length;
  const { k, threshold } = session.options.rtk;
  const attention = Array.from(alphaSum, (v) => v / images);
  const sel = selectKeys(attention, T, S, k, threshold);
  const influencePerClass: number[] = [];
  const attentionPerClass: number[] = [];
  for (let c = 0; c < C; c++) {
    const mean = Array.from(classAlphaSum.subarray(c * T * S, (c + 1) * T * S), (v) => (classCount[c] ? v / classCount[c] : 0));
    attentionPerClass.push(...mean);
    influencePerClass.push(...influenceFromAttention(mean, T, S, k));
  }
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
    images,
    // AFD distils every key; RTK keeps those above the threshold.
    kept: isAfd ? sel.kept.map(() => 1) : sel.kept,
    k,
    tau: sel.tau,
    teacherShapes: session.teacher!.tapShapes.map((t) => [...t] as [number, number, number]),
    studentShapes: session.student.tapShapes.map((t) => [...t] as [number, number, number]),
    // An ONNX teacher has no TF.js layers to walk: its per-tap cost is unknown (0).
    teacherFlops: session.teacher!.model ? flopsOf(session.teacher!.model) : session.teacher!.tapShapes.map(() => 0),
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
