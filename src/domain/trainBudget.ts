/**
 * What a dataset brings to a run's configuration besides its images: the student preset for its
 * image size and a training batch chosen from the student's activation size, so a 224 px pilot
 * keeps the training worker's step under a stated budget. Plain maths, no effects.
 *
 * The estimate counts the floats one image's forward pass keeps for the backward pass: the
 * output of every conv, batch norm and ReLU (3 per conv), per the plan's map sizes. A training
 * step on wasm takes about 16 bytes per such float (measured in Node with the fused batch norm of
 * src/ml/backend/wasmBatchNorm.ts, RTK against MobileNetV2's four taps: the wasm heap grew by
 * 162 MB from batch 8 to 16 on the photo cnn-s1 at 224 px, 1.33 M floats an image, so 15.2 bytes;
 * the stock batch norm took 30), which is what TRAIN_STEP_BUDGET_BYTES bounds. Small images keep
 * the default batch (64).
 */
import type { ModelSpec, TrainConfig } from './config';
import { DEFAULT_CONFIG, defaultAugment } from './config';
import { datasetInfo } from './datasets';
import type { DatasetId } from './registry';
import { archPreset, PHOTO_MIN_SIDE, resolvePlan, stageSides } from './stridePlan';

/** The memory one training step of the student may take in the training worker. */
export const TRAIN_STEP_BUDGET_BYTES = 256 * 2 ** 20;
/** Bytes a training step holds per forward activation float (measured on wasm, see above). */
export const STEP_BYTES_PER_FLOAT = 16;
/** Tensors kept per block: plain conv-BN-ReLU 3; residual two convs and a shortcut 9; separable 6. */
const TENSORS_PER_BLOCK: Record<string, number> = { 'cnn-s1': 3, 'resnet-s1': 9, 'resnet-t1': 9, 'mobile-s1': 6 };

/** Forward activation floats of one image through the student `spec` on images of `shape`. */
export function studentActivationFloats(spec: ModelSpec, shape: readonly number[]): number {
  const plan = resolvePlan(spec, shape);
  const stem = Math.ceil(shape[0] / 2) * Math.ceil(shape[1] / 2) * spec.width * 3;
  const per = TENSORS_PER_BLOCK[spec.arch] ?? 6;
  return stageSides(plan, shape[0]).reduce((a, side, s) => a + spec.depth * side * side * spec.width * 2 ** s * per, stem);
}

/** Whether images of `shape` are small enough that any student trains at the default batch. */
const smallImages = (shape: readonly number[]) => Math.min(shape[0], shape[1]) < PHOTO_MIN_SIDE;

/**
 * The training batch for `spec` on `shape`: 64 on small images; from 96 px the largest power of
 * 2 (8–64) under the step budget, whichever stride plan the student takes.
 */
export function trainBatchFor(spec: ModelSpec, shape: readonly number[]): number {
  if (smallImages(shape)) return DEFAULT_CONFIG.batchSize;
  const fits = Math.floor(TRAIN_STEP_BUDGET_BYTES / (studentActivationFloats(spec, shape) * STEP_BYTES_PER_FLOAT));
  let b = 8;
  while (b * 2 <= Math.min(64, fits)) b *= 2;
  return b;
}

/**
 * The batch once the student becomes `next` (another arch, size or stride plan): what
 * trainBatchFor gives `next` while the batch is still the one it gave the current student; a
 * batch the user set stays.
 */
export function batchAfterStudent(config: Pick<TrainConfig, 'dataset' | 'student' | 'batchSize'>, next: ModelSpec): number {
  const shape = datasetInfo(config.dataset).shape;
  return config.batchSize === trainBatchFor(config.student, shape) ? trainBatchFor(next, shape) : config.batchSize;
}

/** Why the batch is what it is, for the budget fields (photos only: small images always start at 64). */
export function batchReason(spec: ModelSpec, shape: readonly number[], batchSize: number): string | null {
  if (smallImages(shape)) return null;
  const perImage = studentActivationFloats(spec, shape) * STEP_BYTES_PER_FLOAT;
  const auto = trainBatchFor(spec, shape);
  const mb = (b: number) => `${Math.round(b / 1e6)} MB`;
  const why = `At ${shape[0]}×${shape[1]} px a training step of this student holds about ${mb(perImage)} per image; ` +
    `${auto} keeps it under the ${Math.round(TRAIN_STEP_BUDGET_BYTES / 2 ** 20)} MiB step budget (a training step's share of the page's memory).`;
  return batchSize === auto ? why : `${why} At ${batchSize} a step needs about ${mb(perImage * batchSize)}.`;
}

/**
 * What changes when a run moves from dataset `from` to `to`: the augmentation of `to`; and when
 * the two call for different stride plans (32 px digits against 224 px photos), the student's
 * preset for `to` and its batch. Between datasets of one plan the user's student and batch stay.
 */
export function datasetDefaults(config: Pick<TrainConfig, 'dataset' | 'student' | 'batchSize'>, to: DatasetId): Partial<TrainConfig> {
  const augment = defaultAugment(to);
  const shape = datasetInfo(to).shape;
  const before = resolvePlan({}, datasetInfo(config.dataset).shape);
  if (config.student.plan || resolvePlan({}, shape) === before) return { augment };
  const student = archPreset(config.student.arch, shape);
  return { augment, student, batchSize: trainBatchFor(student, shape) };
}
