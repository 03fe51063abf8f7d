/**
 * The worker protocol. Commands are verbs; runs have ids and the bridge drops events of old
 * runs. Messages carry numbers, plain objects and typed arrays only — never tensors.
 */
import type { ModelSpec, TrainConfig } from './config';
import type { BackendId, BackendPreference, DatasetId } from './registry';

export type RunState = 'loading' | 'running' | 'paused' | 'stopped' | 'done' | 'failed';

export interface BackendFallback { backend: BackendId; reason: string }
export interface BackendInfo {
  backend: BackendId;
  /** GPU adapter description for webgpu/webgl, thread count for wasm, null otherwise. */
  adapter: string | null;
  /** Backends tried before this one and why each was refused. */
  fallbacks: BackendFallback[];
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
  | { type: 'start'; runId: string; config: TrainConfig; teacherUrl: string | null; resume?: CheckpointData }
  | { type: 'preview'; requestId: string; dataset: DatasetId; count: number }
  /** `saved`: a run reopened from storage (its final checkpoint), for runs this worker did not train. */
  | { type: 'export'; requestId: string; runId: string; saved?: { config: TrainConfig; checkpoint: CheckpointData } }
  | { type: 'evaluate-model'; requestId: string; files: ModelFiles; config: TrainConfig }
  | { type: 'energy'; requestId: string; runId: string; count: number }
  | { type: 'pause'; runId: string }
  | { type: 'resume'; runId: string }
  | { type: 'step'; runId: string }
  | { type: 'stop'; runId: string }
  | { type: 'costs'; requestId: string; spec: ModelSpec; dataset: DatasetId; latency: boolean }
  | BenchSpeedRequest;

export type WorkerEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'status'; runId: string; state: RunState; message: string }
  | { type: 'progress'; runId: string; report: ProgressReport }
  | { type: 'eval'; runId: string; report: EvalReport }
  | { type: 'done'; runId: string; result: RunResult }
  | { type: 'checkpoint'; runId: string; checkpoint: CheckpointData }
  | { type: 'preview'; requestId: string; preview: DatasetPreview }
  | { type: 'export'; requestId: string; files: ModelFiles }
  | { type: 'evaluated'; requestId: string; testAccuracy: number }
  | { type: 'energy'; requestId: string; maps: EnergyMaps }
  | { type: 'request-error'; requestId: string; message: string }
  | { type: 'error'; runId: string | null; message: string }
  | { type: 'costs'; requestId: string; costs: ModelCosts; latency: LatencyReport | null }
  | BenchEvent;

/** Figures of an in-worker benchmark: plain numbers and strings only. */
export type BenchFigures = Record<string, number | string>;
export interface BenchSpeedRequest { type: 'bench-speed'; requestId: string; config: TrainConfig; warmupSteps: number; steps: number; driftSteps: number }
export type BenchEvent = { type: 'bench'; requestId: string; figures: BenchFigures };
