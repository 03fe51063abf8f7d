/**
 * The worker protocol. Commands are verbs; runs have ids and the bridge drops events of old
 * runs. Messages carry numbers, plain objects and typed arrays only — never tensors.
 */
import type { PackedCheckpoint, StoredCheckpoint } from './checkpointPack';
import type { ImportanceRule, ModelSpec, TrainConfig } from './config';
import type { LatencyPair } from './latencyPair';
import type { BackendId, BackendPreference, DatasetId, DatasetInfo } from './registry';
import type { ImportedTeacherInfo, PreprocessId, TeacherBaseline, TeacherChoice, TeacherFile, TeacherProgress } from './teacherSource';

export type RunState = 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface BackendFallback { backend: BackendId; reason: string }
export interface BackendInfo {
  backend: BackendId;
  /** GPU adapter description for webgpu/webgl, thread count for wasm, null otherwise. */
  adapter: string | null;
  /** Backends tried before this one and why each was refused. */
  fallbacks: BackendFallback[];
  /** 'auto' only: every backend that passed its self-test (the first is active until a run is timed). */
  candidates?: { backend: BackendId; adapter: string | null }[];
  /** 'auto' only: how the backend was chosen for the current run's configuration by timing it. */
  speed?: SpeedChoiceInfo;
}

/** Samples/s of a few real training steps of one configuration on one backend. */
export interface SpeedTrial { backend: BackendId; samplesPerSec: number }
export interface SpeedChoiceInfo {
  trials: SpeedTrial[];
  /** Why the active backend was chosen, in words. */
  reason: string;
  /** True when the choice came from the cache (same device and configuration shape). */
  cached: boolean;
  /** The configuration shape the trials were run for. */
  shape: string;
}

export interface LossParts {
  total: number;
  ce: number;
  /** KD term (already weighted), 0 when unused. */
  kd: number;
  /** Feature term (AT/AFD/RTK, already weighted), 0 when unused. */
  feat: number;
}

export interface ProgressReport {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  totalSteps: number;
  elapsedMs: number;
  samplesPerSec: number;
  loss: LossParts;
  trainAccuracy: number;
}

/** Attention statistics of one evaluation (RTK.md, "the studio also records"). */
export interface KeyStats {
  /** Number of teacher taps (keys) and student taps. */
  T: number;
  S: number;
  teacherTaps: string[];
  studentTaps: string[];
  /** Batch-mean attention α, [T,S] row-major; each row sums to 1 over students. */
  attention: number[];
  /** Influence per teacher tap [T] with the run's k. */
  influence: number[];
  /** Influence per class, [numClasses, T] row-major. */
  influencePerClass: number[];
  /** Mean attention per class, [numClasses, T, S] row-major (for recomputing per-class selection). */
  attentionPerClass: number[];
  /** Images the statistics were computed over. */
  images: number;
  /** 1 = kept key, 0 = dropped, [T]. */
  kept: number[];
  k: number;
  /** Threshold τ the kept mask was computed with. */
  tau: number;
  /** The importance rule the run trained with (absent in evaluations saved before it was recorded: 'afd'). */
  importance?: ImportanceRule;
  /**
   * Batch-mean importance of the 'keys' rule, laid out like `attention`: [T,S], entry [n,m] =
   * softmax over the keys n of z[·,m] (each student tap's attention shared among the keys).
   */
  competition?: number[];
  /**
   * Mean matrices of consecutive groups of `size` evaluated images, for the influence's spread
   * over evaluation batches: G × [T,S] per rule.
   */
  groups?: { size: number; afd: number[]; keys: number[] };
  /** Evaluated images per class [numClasses]. */
  classCount?: number[];
  /** 'keys' mean matrix per class, [numClasses, T, S] (`attentionPerClass` is the 'afd' one). */
  competitionPerClass?: number[];
  /**
   * The bias check's null samples (final test evaluation only): for each class, R mean matrices of
   * random sets of as many evaluated images, numClasses × R × [T,S] per rule.
   */
  classNull?: { R: number; afd: number[]; keys: number[] };
  /** [H, W, C] of each teacher tap and each student tap (absent in evaluations saved before they were recorded). */
  teacherShapes?: [number, number, number][];
  studentShapes?: [number, number, number][];
  /** Forward FLOPs per image of the layers that produce each tap (from the previous tap on; the stem counts in the first). */
  teacherFlops?: number[];
  studentFlops?: number[];
}

export interface EvalReport {
  epoch: number;
  /** 'sample': key statistics on a small validation sample during an epoch (attention runs), for the selection timeline. */
  split: 'val' | 'test' | 'sample';
  accuracy: number;
  perClassAccuracy: number[];
  /** Confusion counts [true, predicted], row-major numClasses × numClasses. */
  confusion: number[];
  numClasses: number;
  keys: KeyStats | null;
}

export interface ModelCosts {
  params: number;
  flopsPerImage: number;
  bytes: { fp32: number; fp16: number; int8: number };
}
export interface LatencyReport { backend: BackendId; medianMs: number; p95Ms: number; runs: number; batchSize: 1 }

export interface RunResult {
  testAccuracy: number;
  /** Accuracy on the validation split after the last epoch (null without a validation split). */
  valAccuracy: number | null;
  test: EvalReport;
  studentCosts: ModelCosts;
  wallMs: number;
  /** Epoch of the checkpoint the result comes from. */
  checkpointEpoch: number;
}

/** Adam's state: steps taken and both moments, one array per optimised variable. */
export interface OptimiserState { step: number; m: Float32Array[]; v: Float32Array[] }

/** Weights of a run after a finished epoch, as plain arrays (autosaved, resumable). */
export interface CheckpointData {
  /** Epochs finished when the checkpoint was taken. */
  epoch: number;
  student: Float32Array[];
  attention: Float32Array[] | null;
  /**
   * The optimiser's state, so a resumed run continues exactly as an uninterrupted one. Absent in
   * checkpoints saved before it was recorded; those resume with fresh moments.
   */
  optimiser?: OptimiserState;
}

/** A TF.js layers model as files: model.json's content and the weights.bin bytes. */
export interface ModelFiles { modelJson: Record<string, unknown>; weights: ArrayBuffer }

/** One weight format of the inference model, with its test accuracy measured after quantisation. */
export interface DeployVariant { weights: 'float32' | 'float16' | 'int8'; files: ModelFiles; weightBytes: number; testAccuracy: number }

/** Energy maps (mean over channels of F², L2-normalised) of a few test images. */
export interface EnergyMaps {
  /** Images [count,H,W,C] uint8 and their labels. */
  images: Uint8Array;
  labels: number[];
  shape: [number, number, number];
  teacherTaps: string[];
  studentTaps: string[];
  /** [count][tap] → {h, w, values (h·w)}. */
  teacher: { h: number; w: number; values: number[] }[][];
  student: { h: number; w: number; values: number[] }[][];
}

export interface DatasetPreview {
  dataset: DatasetId;
  shape: [number, number, number];
  /** The first `count` training images [count,H,W,C] uint8, and their labels. */
  images: Uint8Array;
  labels: number[];
  trainCount: number;
  testCount: number;
  /** Training images per class. */
  classCounts: number[];
}

export type WorkerCommand =
  | { type: 'init'; backend: BackendPreference; assetBase: string }
  | { type: 'start'; runId: string; config: TrainConfig; teacherUrl: string | null; resume?: StoredCheckpoint }
  | { type: 'preview'; requestId: string; dataset: DatasetId; count: number }
  /** `saved`: a run reopened from storage (its final checkpoint), for runs this worker did not train. */
  /** The inference model (one output); `withTaps`: the training model with its taps (a teacher trained here). */
  | { type: 'export'; requestId: string; runId: string; saved?: { config: TrainConfig; checkpoint: StoredCheckpoint }; probabilities?: boolean; withTaps?: boolean }
  /** The one-output student in float32, float16 and int8, each scored on the test set after quantisation. */
  | { type: 'deploy-variants'; requestId: string; runId: string; saved?: { config: TrainConfig; checkpoint: StoredCheckpoint }; probabilities: boolean }
  /** The PyTorch DDP job folder of a run's configuration (path → bytes). */
  | { type: 'export-job'; requestId: string; config: TrainConfig }
  | { type: 'evaluate-model'; requestId: string; files: ModelFiles; config: TrainConfig }
  /** `saved`: a run reopened after a reload, from its saved checkpoint (as for 'export'). */
  | { type: 'energy'; requestId: string; runId: string; count: number; saved?: { config: TrainConfig; checkpoint: StoredCheckpoint } }
  | { type: 'pause'; runId: string }
  | { type: 'resume'; runId: string }
  | { type: 'step'; runId: string }
  | { type: 'stop'; runId: string }
  | { type: 'costs'; requestId: string; spec: ModelSpec; dataset: DatasetId; latency: boolean }
  /** Teacher and student latency in the same window (src/domain/latencyPair.ts). */
  | { type: 'latency-pair'; requestId: string; teacher: ModelSpec; student: ModelSpec; dataset: DatasetId }
  /** Shape and classes of an imported dataset, so costs and exports of it work before its images load. */
  | { type: 'dataset-info'; info: DatasetInfo }
  /** The page has drawn what the run's last events changed (answers 'page-frame'). */
  | { type: 'page-drawn'; id: number }
  | BenchSpeedRequest
  | TeacherImportCommand;

/** The user's own teacher: import its files, then measure it (and detect its input scaling) on a dataset. */
export type TeacherImportCommand =
  | { type: 'teacher-import'; requestId: string; files: TeacherFile[]; dataset: DatasetId }
  /** `limit`: score on the first `limit` test images only (0 or absent: all of them). */
  | { type: 'teacher-baseline'; requestId: string; choice: TeacherChoice; config: TrainConfig; detect: boolean; limit?: number }
  /** Stops a teacher measurement between two passes; it ends with a request-error saying it was cancelled. */
  | { type: 'cancel-request'; requestId: string }
  /** bench:teacher: the imported teacher's forward pass and RTK steps with it (answered by a 'bench' event). */
  | { type: 'bench-teacher'; requestId: string; config: TrainConfig; runs: number; steps: number };
export type TeacherImportEvent =
  | { type: 'teacher-imported'; requestId: string; info: ImportedTeacherInfo }
  | { type: 'teacher-baseline'; requestId: string; baseline: TeacherBaseline; detected: Record<PreprocessId, number> | null }
  | { type: 'teacher-progress'; requestId: string; progress: TeacherProgress };

export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'status'; runId: string; state: RunState; message: string }
  | { type: 'progress'; runId: string; report: ProgressReport }
  | { type: 'eval'; runId: string; report: EvalReport }
  | { type: 'done'; runId: string; result: RunResult }
  | { type: 'checkpoint'; runId: string; checkpoint: PackedCheckpoint }
  | { type: 'preview'; requestId: string; preview: DatasetPreview }
  | { type: 'export'; requestId: string; files: ModelFiles }
  | { type: 'deploy-variants'; requestId: string; variants: DeployVariant[] }
  | { type: 'job-files'; requestId: string; files: Record<string, Uint8Array> }
  | { type: 'evaluated'; requestId: string; testAccuracy: number }
  | { type: 'energy'; requestId: string; maps: EnergyMaps }
  | { type: 'request-error'; requestId: string; message: string }
  | { type: 'error'; runId: string | null; message: string }
  | { type: 'costs'; requestId: string; costs: ModelCosts; latency: LatencyReport | null }
  | { type: 'latency-pair'; requestId: string; pair: LatencyPair }
  /** The trainer waits (briefly) for the page to draw a big change before its next step: answered by 'page-drawn'. */
  | { type: 'page-frame'; id: number }
  | BenchEvent
  | TeacherImportEvent;

/** Figures of a benchmark; nested objects for grouped figures (e.g. webgpuCounts). */
export type BenchFigures = Record<string, number | string | Record<string, unknown>>;
export interface BenchSpeedRequest {
  type: 'bench-speed'; requestId: string; config: TrainConfig; warmupSteps: number; steps: number; driftSteps: number;
  /** Instead of timing: the losses of this many steps from the seed, read after each (src/worker/lossTrace.ts). */
  traceSteps?: number;
}
export type BenchEvent = { type: 'bench'; requestId: string; figures: BenchFigures };
