/**
 * The imported teachers of this worker (the user's own models), by fingerprint: import (checks,
 * taps, costs), the baseline on a dataset (test accuracy, latency), the input-scaling detection,
 * and the FrozenTeacher a run distils from. A failed import changes nothing already imported.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetInfo, ImportedTeacherInfo, PreprocessId, TeacherBaseline, TeacherChoice, TeacherFile } from '../domain';
import { PREPROCESS_ORDER, teacherCompat } from '../domain';
import { fillBatch } from '../ml/data/batches';
import { inspectLayers, layersArtifacts, layersTeacher, loadLayers } from '../ml/teacher/layersImport';
import { refusalFor } from '../ml/teacher/refuse';
import { teacherForward } from '../ml/teacher/forward';
import type { Dataset, FrozenTeacher, Split } from '../ml/types';

interface Entry {
  info: ImportedTeacherInfo;
  build(taps: string[], preprocess: PreprocessId, imageShape: [number, number, number]): Promise<FrozenTeacher>;
}

const imported = new Map<string, Entry>();
const built = new Map<string, Promise<FrozenTeacher>>();

/** Checks and registers the files as a teacher; throws a message naming the file and the fix. */
export async function importTeacher(files: TeacherFile[], fallbackShape: [number, number, number]): Promise<ImportedTeacherInfo> {
  const refusal = refusalFor(files);
  if (refusal) throw new Error(refusal);
  let entry: Entry;
  if (files.some((f) => /\.onnx$/i.test(f.name))) {
    const { importOnnx } = await import('./onnxTeacher');
    const onnx = await importOnnx(files, fallbackShape);
    entry = { info: onnx.info, build: (taps, p, shape) => onnx.build(taps, p, shape) };
  } else {
    const { artifacts, jsonName, labels } = layersArtifacts(files);
    const model = await loadLayers(artifacts, jsonName);
    const info = await inspectLayers(model, files, labels);
    entry = { info, build: async (taps, p, shape) => layersTeacher(model, info, taps, p, shape) };
  }
  imported.set(entry.info.fingerprint, entry);
  return entry.info;
}

function entryOf(fingerprint: string): Entry {
  const e = imported.get(fingerprint);
  if (!e) throw new Error('The imported teacher is not loaded in this tab (the page was reloaded): import its files again.');
  return e;
}

/** The frozen teacher a run uses for `choice` on `ds` (label map applied); cached per choice. */
export function importedTeacher(choice: TeacherChoice, ds: DatasetInfo): Promise<FrozenTeacher> {
  const e = entryOf(choice.fingerprint);
  const compat = teacherCompat(e.info, ds);
  if (compat.errors.length) return Promise.reject(new Error(compat.errors[0]));
  const unknown = choice.taps.filter((t) => !e.info.taps.some((x) => x.name === t));
  if (unknown.length) return Promise.reject(new Error(`${e.info.name} has no intermediate output ${unknown.join(', ')}: choose its taps again.`));
  const key = `${choice.fingerprint}|${choice.taps.join(',')}|${choice.preprocess}|${ds.id}`;
  let p = built.get(key);
  if (!p) {
    p = e.build(choice.taps, choice.preprocess, ds.shape).then((t) => ({ ...t, classOrder: compat.classOrder ?? undefined }));
    p.catch(() => built.delete(key));
    built.set(key, p);
  }
  return p;
}

/** Accuracy of `teacher` on `indices` of `split`. */
async function accuracyOn(teacher: FrozenTeacher, ds: Dataset, split: Split, indices: Int32Array, B = 256): Promise<number> {
  const [h, w, c] = ds.shape;
  const xBuf = new Float32Array(B * h * w * c);
  const yBuf = new Int32Array(B);
  let correct = 0;
  for (let s = 0; s < indices.length; s += B) {
    const n = Math.min(B, indices.length - s);
    fillBatch(split, indices, s, n, ds.pixelMax, xBuf, yBuf);
    const x = tf.tensor4d(xBuf.subarray(0, n * h * w * c), [n, h, w, c]);
    const out = await teacherForward(teacher, x);
    const pred = tf.argMax(out.logits, 1);
    const p = await pred.data();
    tf.dispose([x, pred, out.logits, ...out.taps]);
    for (let i = 0; i < n; i++) if (p[i] === yBuf[i]) correct += 1;
  }
  return indices.length ? correct / indices.length : NaN;
}

const range = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

/** Batch-1 latency of the teacher where it runs: 5 warm-up passes, 30 timed, median and p95 (nearest rank). */
async function latencyOf(teacher: FrozenTeacher): Promise<{ medianMs: number; p95Ms: number; runs: number }> {
  const x = tf.tidy(() => tf.randomUniform([1, ...teacher.inputShape], 0, 1, 'float32', 1234) as tf.Tensor4D);
  const times: number[] = [];
  for (let i = 0; i < 35; i++) {
    const t0 = performance.now();
    const out = await teacherForward(teacher, x);
    await out.logits.data();
    if (i >= 5) times.push(performance.now() - t0);
    tf.dispose([out.logits, ...out.taps]);
  }
  x.dispose();
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)];
  return { medianMs: at(0.5), p95Ms: at(0.95), runs: times.length };
}

/** Test accuracy (all test images) and latency of the imported teacher for `choice` on `ds`. */
export async function teacherBaseline(choice: TeacherChoice, info: DatasetInfo, ds: Dataset, backend: string): Promise<TeacherBaseline> {
  const teacher = await importedTeacher(choice, info);
  const accuracy = await accuracyOn(teacher, ds, ds.test, range(ds.test.count));
  const l = await latencyOf(teacher);
  const runsOn = teacher.remote ? teacher.remote.where : `the training worker on ${backend}`;
  const latencyBackend = (teacher.remote ? (runsOn.includes('(webgpu)') ? 'webgpu' : 'wasm') : backend) as 'wasm';
  return {
    fingerprint: choice.fingerprint, accuracy, images: ds.test.count, preprocess: choice.preprocess, runsOn,
    latency: { backend: latencyBackend, medianMs: l.medianMs, p95Ms: l.p95Ms, runs: l.runs, batchSize: 1 },
  };
}

/** How many labelled training images decide the input scaling. */
export const DETECT_IMAGES = 256;

/**
 * Accuracy of `teacher` under each input scaling (0–1, −1–1, ImageNet mean/std) on the first
 * DETECT_IMAGES labelled training images; the best first (ties keep the earlier one: 0–1 wins a tie).
 */
export async function detectScaling(teacher: FrozenTeacher, ds: Dataset): Promise<{ best: PreprocessId; accuracy: Record<PreprocessId, number> }> {
  const idx = range(Math.min(DETECT_IMAGES, ds.train.count));
  const accuracy = {} as Record<PreprocessId, number>;
  for (const p of PREPROCESS_ORDER) accuracy[p] = await accuracyOn({ ...teacher, preprocess: p }, ds, ds.train, idx);
  const best = PREPROCESS_ORDER.reduce((a, b) => (accuracy[b] > accuracy[a] ? b : a));
  return { best, accuracy };
}

/** detectScaling for the imported teacher of `choice` on `ds`. */
export async function detectPreprocess(choice: TeacherChoice, info: DatasetInfo, ds: Dataset): Promise<{ best: PreprocessId; accuracy: Record<PreprocessId, number> }> {
  return detectScaling(await importedTeacher(choice, info), ds);
}
