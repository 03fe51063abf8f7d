/**
 * One-off worker requests besides training: dataset preview, export of a finished student,
 * evaluation of model files loaded back with tf.loadLayersModel, and energy maps of taps.
 */
import * as tf from '@tensorflow/tfjs';
import type { CheckpointData, DatasetPreview, EnergyMaps, ModelFiles, TrainConfig } from '../domain';
import { datasetInfo } from '../domain';
import { classBalance } from '../ml/data/batches';
import { buildModel, tappedFromLayersModel } from '../ml/models';
import { teacherForward } from '../ml/teacher/forward';
import { DistillSession } from '../ml/train/session';
import { evaluate } from '../ml/train/evaluate';
import { modelFilesOf } from '../ml/export/inference';
import type { Dataset, FrozenTeacher, TappedModel, TeacherTap } from '../ml/types';
import { isSummary, tapEnergy } from '../ml/losses/teacherTap';

/** What the worker keeps of a finished run so it can be exported or inspected. */
export interface FinishedRun { config: TrainConfig; checkpoint: CheckpointData }

export function datasetPreview(ds: Dataset, count: number): DatasetPreview {
  const n = Math.min(count, ds.train.count);
  const size = ds.shape[0] * ds.shape[1] * ds.shape[2];
  return {
    dataset: ds.id, shape: ds.shape, images: ds.train.images.slice(0, n * size), labels: Array.from(ds.train.labels.subarray(0, n)),
    trainCount: ds.train.count, testCount: ds.test.count, classCounts: classBalance(ds.train, ds.numClasses),
  };
}

/** Rebuilds the student of a finished run with its trained weights. Caller disposes. */
export function restoreStudent(run: FinishedRun): TappedModel {
  const info = datasetInfo(run.config.dataset);
  const tm = buildModel(run.config.student, info.shape, info.numClasses, run.config.seed);
  const shapes = tm.model.getWeights().map((w) => w.shape);
  const tensors = run.checkpoint.student.map((a, i) => tf.tensor(a, shapes[i]));
  tm.model.setWeights(tensors);
  tf.dispose(tensors);
  return tm;
}

export async function exportStudent(run: FinishedRun): Promise<ModelFiles> {
  const tm = restoreStudent(run);
  try {
    return await modelFilesOf(tm.model);
  } finally {
    tm.model.dispose();
  }
}

/** Loads model files exactly as a user would (tf.loadLayersModel) and measures test accuracy. */
export async function evaluateFiles(files: ModelFiles, config: TrainConfig, ds: Dataset): Promise<number> {
  const json = files.modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: files.weights, userDefinedMetadata: json.userDefinedMetadata,
  }));
  const tm = tappedFromLayersModel(model, config.student);
  const session = new DistillSession({ ...config, method: 'student-alone' }, tm, null);
  try {
    const idx = Int32Array.from({ length: ds.test.count }, (_, i) => i);
    return (await evaluate(session, ds, ds.test, idx, { epoch: 0, splitName: 'test', batchSize: 256, keyStatsLimit: 0 })).accuracy;
  } finally {
    session.dispose();
  }
}

/** Normalised energy maps of a tap, or of a teacher tap's summary (teacherTap.ts), one per image. */
async function energy(tap: TeacherTap): Promise<{ h: number; w: number; values: number[] }[]> {
  const [n, h, w] = isSummary(tap) ? tap.energy.shape : tap.shape;
  const maps = tf.tidy(() => {
    const e = tf.reshape(tapEnergy(tap), [n, h * w]);
    return tf.div(e, tf.add(tf.norm(e, 2, 1, true), 1e-12));
  });
  const data = await maps.data();
  maps.dispose();
  return Array.from({ length: n }, (_, i) => ({ h, w, values: Array.from(data.subarray(i * h * w, (i + 1) * h * w)) }));
}

/** Energy maps of every teacher and student tap over the first `count` test images. */
export async function energyMaps(run: FinishedRun, teacher: FrozenTeacher, ds: Dataset, count: number): Promise<EnergyMaps> {
  const n = Math.min(count, ds.test.count);
  const [h, w, c] = ds.shape;
  const images = ds.test.images.slice(0, n * h * w * c);
  const student = restoreStudent(run);
  try {
    const x = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(images), [n, h, w, c]), ds.pixelMax) as tf.Tensor4D);
    const t = await teacherForward(teacher, x);
    const s = student.apply(x, false);
    const tMaps = await Promise.all(t.taps.map(energy));
    const sMaps = await Promise.all(s.taps.map(energy));
    tf.dispose([x, t.logits, ...t.taps, s.logits, ...s.taps]);
    return {
      images, labels: Array.from(ds.test.labels.subarray(0, n)), shape: ds.shape,
      teacherTaps: teacher.tapNames, studentTaps: student.tapNames,
      teacher: Array.from({ length: n }, (_, i) => tMaps.map((m) => m[i])),
      student: Array.from({ length: n }, (_, i) => sMaps.map((m) => m[i])),
    };
  } finally {
    student.model.dispose();
  }
}
