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
  /** 1 = kept key, 0 = dropped, [T]. */
  kept: number[];
  k: number;
  /** Threshold τ the kept mask was computed with. */
  tau: number;
}

export interface EvalReport {
  epoch: number;
  split: 'val' | 'test';
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

export type WorkerCommand =
  | { type: 'init'; backend: BackendPreference; assetBase: string }
  | { type: 'start'; runId: string; config: TrainConfig; teacherUrl: string | null }
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
  | { type: 'error'; runId: string | null; message: string }
  | { type: 'costs'; requestId: string; costs: ModelCosts; latency: LatencyReport | null }
  | BenchEvent;

/** Figures of an in-worker benchmark: plain numbers and strings only. */
export type BenchFigures = Record<string, number | string>;
export interface BenchSpeedRequest { type: 'bench-speed'; requestId: string; config: TrainConfig; warmupSteps: number; steps: number; driftSteps: number }
export type BenchEvent = { type: 'bench'; requestId: string; figures: BenchFigures };
