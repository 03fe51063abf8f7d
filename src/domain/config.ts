/** Plain, serialisable configuration of a training run. Defaults follow RTK.md. */
import type { StridePlanId } from './stridePlan';
import type { ArchId, BackendPreference, DatasetId, MethodId } from './registry';
import type { TeacherChoice } from './teacherSource';
import { datasetInfo } from './datasets';

export interface ModelSpec {
  arch: ArchId;
  /** Base channel count of the first stage. */
  width: number;
  /** Blocks per stage. */
  depth: number;
  /** Stride plan (stridePlan.ts); absent: chosen from the input size (`resolvePlan`). */
  plan?: StridePlanId;
}

export interface KdOptions { alpha: number; tau: number }
export interface AtOptions { betaAt: number }
export interface AfdOptions {
  /** Weight of the feature loss. */
  beta: number;
  /** Attention width d. */
  attnDim: number;
}
/** 'keys' (default): teacher keys compete for each student tap's attention; 'afd': each key's own attention over the students (RTK.md). */
export type ImportanceRule = 'afd' | 'keys';
export type ThresholdRule = 'mean' | number;
export type Granularity = 'sample' | 'batch';
export interface RtkOptions {
  importance: ImportanceRule;
  /** Top-k entries averaged into each key's influence; 1 ≤ k ≤ S−1. */
  k: number;
  threshold: ThresholdRule;
  granularity: Granularity;
  /** Epochs of plain AFD before the key selection starts. */
  warmupEpochs: number;
}

export interface MethodOptions {
  kd: KdOptions;
  at: AtOptions;
  afd: AfdOptions;
  rtk: RtkOptions;
}

/**
 * Training-time augmentation. 'crop-flip': each training image is padded with 4 zero pixels on
 * every side, cropped back to its size at a random offset, and mirrored left–right with
 * probability ½ (the usual CIFAR recipe). Never applied to validation or test images.
 */
export type Augment = 'none' | 'crop-flip';
/** 'adam' (the studio's default) or 'sgd': SGD with momentum and weight decay, as torch.optim.SGD. */
export type OptimizerId = 'adam' | 'sgd';
/**
 * 'cosine' decays the learning rate to 0 over the run; 'constant' keeps it; 'one-cycle' rises
 * linearly from lr/25 to lr over the first 30 % of the steps, then falls along a cosine to lr/10⁴
 * (torch's OneCycleLR defaults, learning rate only).
 */
export type LrSchedule = 'constant' | 'cosine' | 'one-cycle';

export interface TrainConfig {
  dataset: DatasetId;
  teacher: ModelSpec;
  student: ModelSpec;
  method: MethodId;
  options: MethodOptions;
  epochs: number;
  batchSize: number;
  learningRate: number;
  lrSchedule: LrSchedule;
  optimizer: OptimizerId;
  /** SGD only: the momentum μ of v ← μ·v + g + λ·w, w ← w − lr·v. */
  momentum: number;
  /** SGD only: the weight decay λ (an L2 term added to every gradient, BN and biases included, as torch). */
  weightDecay: number;
  /** Training-batch augmentation; the default follows the dataset (defaultAugment). */
  augment: Augment;
  seed: number;
  /** Use only the first N training images (fast test mode); 0 = all. */
  trainLimit: number;
  /** Use only the first N test images; 0 = all. */
  testLimit: number;
  /** Fraction of the training images held out for validation. */
  valFraction: number;
  backend: BackendPreference;
  /** The user's own teacher (imported in this tab) instead of the shipped one; absent or null: shipped. */
  importedTeacher?: TeacherChoice | null;
}

export const DEFAULT_OPTIONS: MethodOptions = {
  kd: { alpha: 0.9, tau: 4 },
  at: { betaAt: 1000 },
  // β: RTK.md's paper value is 200. The studio defaults to 20, chosen for the default pilot on
  // the 30,000 MNIST training images the pilot never sees (see batchSize below); bench:methods picks
  // β on its own validation split for each dataset.
  afd: { beta: 20, attnDim: 64 },
  // importance 'keys' and k = 1 (RTK.md: k = 1 when S ≤ 3), chosen on held-out images with the
  // default student: accuracy within the seed spread of 'afd', and a selection that is not a tie.
  rtk: { importance: 'keys', k: 1, threshold: 'mean', granularity: 'sample', warmupEpochs: 0 },
};

export const DEFAULT_TEACHER: ModelSpec = { arch: 'resnet-t1', width: 12, depth: 2 };
// Width 8, depth 1: S = 3 student taps (every block is a tap; depth 2 gives S = 6). Chosen on
// held-out images against width 5, depth 2 (S = 6) at the same size (10.8 k against 11.8 k
// parameters): student alone 40.6 % against 29.4 % on CIFAR-10 and 97.4 % against 97.2 % on MNIST,
// and RTK likewise ahead; the keys compete for three queries and still get distinct influences
// (bench/results/key-selection.md).
export const DEFAULT_STUDENT: ModelSpec = { arch: 'cnn-s1', width: 8, depth: 1 };

export const DEFAULT_CONFIG: TrainConfig = {
  dataset: 'mnist',
  teacher: DEFAULT_TEACHER,
  student: DEFAULT_STUDENT,
  method: 'rtk',
  options: DEFAULT_OPTIONS,
  epochs: 1,
  // Batch 64, Adam at 0.02 with cosine decay, β 20. Chosen for the default pilot (RTK, 30,000
  // images, one epoch) by accuracy on the other 30,000 MNIST training images, which the pilot never
  // trains on, so the test set took no part in the choice (scripts/pilot-sweep.ts --holdout, Node,
  // seeds 1–3; held-out mean, then test mean):
  //   batch 64, β 200: 97.97 %, test 98.26 % · batch 64, β 20: 98.13 %, test 98.42 %
  //   batch 48, β 200: 98.09 %, test 98.38 % · batch 48, β 20: 98.18 %, test 98.59 %
  //   batch 64, β 10: 98.11 % · β 50: 98.11 % · β 20 with lr 0.03: 98.12 % (test 98.50 / 98.40 / 98.47 %)
  // Batch 48 with β 20 scores 0.05 points higher (within the seed spread) but makes bench:pilot
  // take 55–58 s instead of 47 s on the 2-core box, too close to its 60 s budget.
  // Earlier, β 200, seed 1 only: lr 0.01 / 0.02 / 0.03 → 98.10 / 98.38 / 98.44 %; batch 32 → 98.47 %.
  batchSize: 64,
  learningRate: 0.02,
  lrSchedule: 'cosine',
  // Adam stays the default so the pilot above is unchanged; SGD's momentum and weight decay are the
  // usual CIFAR values (FULL_RUN_PRESET in src/ml/export/pytorchJob.ts).
  optimizer: 'adam',
  momentum: 0.9,
  weightDecay: 5e-4,
  // MNIST: no augmentation (a mirrored digit is another glyph). defaultAugment gives each dataset its own.
  augment: 'none',
  seed: 1,
  // The default pilot is a small experiment: 30,000 training images (10 % held out for
  // validation), one epoch, the full test set: about 47 s for student alone + RTK in bench:pilot
  // on the 2-core box (wasm); 20,000 images gave 97.4 % instead of 98.3 %.
  trainLimit: 30000,
  testLimit: 0,
  valFraction: 0.1,
  backend: 'auto',
};

/** RTK.md: default k = 2, or 1 when there are at most 3 student taps. */
export function defaultK(numStudentTaps: number): number {
  return numStudentTaps <= 3 ? 1 : 2;
}

/**
 * The augmentation a dataset gets unless the user picks another: crop and flip for colour photos
 * (3 channels), none for greyscale images such as digits, where a mirror image changes the class.
 */
export function defaultAugment(dataset: DatasetId): Augment {
  return datasetInfo(dataset).shape[2] === 3 ? 'crop-flip' : 'none';
}
