/**
 * Plain descriptions of a teacher brought by the user (the teacher-source seam, DESIGN.md
 * "Where data and teachers come from"). The worker inspects the files and answers an
 * `ImportedTeacherInfo`; a run names the imported teacher it distils by `TeacherChoice`.
 */
import type { ModelCosts, LatencyReport } from './messages';

export type TeacherFormat = 'tfjs-layers' | 'onnx';

export const TEACHER_FORMATS: Record<TeacherFormat, { label: string; runtime: string }> = {
  'tfjs-layers': { label: 'TF.js Layers model', runtime: 'TensorFlow.js' },
  onnx: { label: 'ONNX model', runtime: 'onnxruntime-web (wasm)' },
};

export type PreprocessId = 'unit' | 'signed' | 'imagenet';

/** Input scalings the studio offers (pixels p in [0, 255]). */
export const PREPROCESSING: Record<PreprocessId, { label: string; blurb: string }> = {
  unit: { label: '0–1', blurb: 'p / 255' },
  signed: { label: '−1–1', blurb: 'p / 127.5 − 1' },
  imagenet: { label: 'ImageNet mean/std', blurb: '(p / 255 − mean) / std per channel' },
};
export const PREPROCESS_ORDER: PreprocessId[] = ['unit', 'signed', 'imagenet'];

/** One 4-D intermediate output of the teacher, NHWC shape of one image. */
export interface TeacherTap { name: string; shape: [number, number, number]; stride: number }

export interface ImportedTeacherInfo {
  fingerprint: string;
  format: TeacherFormat;
  /** The model's own name (file name without extension when it has none). */
  name: string;
  files: string[];
  /** [height, width, channels] the model reads. */
  inputShape: [number, number, number];
  layout: 'NHWC' | 'NCHW';
  numClasses: number;
  /** The output used as logits, and whether it is a softmax (its log is used). */
  logitsName: string;
  softmaxOutput: boolean;
  /** Every 4-D intermediate output (candidate taps) in graph order, and the default choice. */
  taps: TeacherTap[];
  defaultTaps: string[];
  /** Class names the model carries (metadata.json labels), or null. */
  labels: string[] | null;
  costs: ModelCosts;
  /** Op types whose FLOPs are not known (counted as 0): the FLOPs are an estimate. */
  uncountedOps: string[];
  notes: string[];
  /** Floats of every intermediate value for one image (from the probe): sizes the batches of a pass (teacherBudget.ts). */
  activationFloats?: number;
}

/** What a run distils from: the imported teacher, its taps and its input scaling. */
export interface TeacherChoice { fingerprint: string; taps: string[]; preprocess: PreprocessId }

/** Baseline of an imported teacher on a dataset's test split. */
export interface TeacherBaseline {
  fingerprint: string; accuracy: number; images: number; preprocess: PreprocessId; latency: LatencyReport | null;
  /** Where the teacher ran (e.g. "a second worker on onnxruntime-web (wasm)", "the training worker on webgpu"). */
  runsOn: string;
  /** Images in the test split (`images` of them were scored: a stated subset when fewer). */
  testImages?: number;
  /** Images per scoring pass, chosen from the activation size under `budgetBytes`. */
  batchSize?: number;
  budgetBytes?: number;
  /** Seconds the scoring took. */
  seconds?: number;
}

/** Progress of a teacher measurement: which phase, images done of total. */
export interface TeacherProgress {
  phase: 'detect' | 'score' | 'latency'; done: number; total: number; seconds: number;
  /** Sent once detection ends (before scoring): the scaling is kept even if the scoring is then cancelled. */
  detected?: { best: PreprocessId; accuracy: Record<PreprocessId, number> };
}

/** Files as the user picked them (folder-relative path when chosen as a folder). */
export interface TeacherFile { name: string; bytes: ArrayBuffer }
