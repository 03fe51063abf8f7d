/**
 * The only main-thread code that creates and talks to the training worker. Commands go out as
 * verbs; events come back and are written to the store. Events of runs we did not start (or
 * that were superseded) are dropped.
 */
import type {
  BackendPreference, BenchFigures, BenchSpeedRequest, DatasetId, DatasetInfo, DatasetPreview, DeployVariant, EnergyMaps,
  LatencyPair, LatencyReport, ModelCosts, ModelFiles, ModelSpec, RunResult, TrainConfig, WorkerCommand, WorkerEvent,
  ImportedTeacherInfo, PackedCheckpoint, PreprocessId, StoredCheckpoint, TeacherBaseline, TeacherChoice, TeacherFile, TeacherProgress,
} from '../domain';
import type { StudioStore } from '../state/store';
import { timeEvent } from './eventProbe';
import { whenPageSettled } from './pageSettle';

let seq = 0;
export function newId(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}`;
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

export class StudioClient {
  private readonly worker: Worker;
  private readonly runWaiters = new Map<string, Waiter<RunResult | null>>();
  /** Pending requests answered by an event with the same requestId. */
  private readonly requests = new Map<string, Waiter<unknown>>();
  /** Progress listeners of teacher measurements, by request id. */
  private readonly progress = new Map<string, (p: TeacherProgress) => void>();
  /** Called with each finished epoch's weights (persistence subscribes here). */
  onCheckpoint: ((runId: string, checkpoint: PackedCheckpoint) => void) | null = null;

  constructor(private readonly store: StudioStore, backend: BackendPreference, assetBase = import.meta.env.BASE_URL) {
    this.worker = new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerEvent>) => timeEvent(e.data.type, () => this.onEvent(e.data));
    this.worker.onerror = (e) => store.getState().setError(`The training worker crashed: ${e.message || 'unknown error'}. Reload the page.`);
    this.send({ type: 'init', backend, assetBase });
  }

  private send(cmd: WorkerCommand): void {
    this.worker.postMessage(cmd);
  }

  private onEvent(ev: WorkerEvent): void {
    const st = this.store.getState();
    switch (ev.type) {
      case 'backend':
        st.setBackend(ev.info);
        return;
      case 'status':
        if (!st.runs[ev.runId]) return;
        st.updateRun(ev.runId, { state: ev.state, message: ev.message });
        if (ev.state === 'failed' || ev.state === 'stopped') this.settleRun(ev.runId, null);
        return;
      case 'progress':
        if (st.runs[ev.runId]) st.updateRun(ev.runId, { progress: ev.report });
        return;
      case 'eval':
        if (st.runs[ev.runId]) st.addEval(ev.runId, ev.report);
        return;
      case 'done':
        if (!st.runs[ev.runId]) return;
        st.updateRun(ev.runId, { result: ev.result });
        this.settleRun(ev.runId, ev.result);
        return;
      case 'error':
        if (ev.runId === null) { st.setError(ev.message); return; }
        if (st.runs[ev.runId]) st.updateRun(ev.runId, { error: ev.message });
        return;
      case 'page-frame': {
        // Answered once the renders for the last events have all committed (pageSettle.ts: the
        // deferred ones and the panels that mount a frame later), a frame has drawn them and the
        // page is idle. A tab without frames does not answer; src/worker/pageDrawn.ts caps the wait.
        const answer = () => this.send({ type: 'page-drawn', id: ev.id });
        whenPageSettled(() => requestAnimationFrame(() => {
          if (typeof requestIdleCallback === 'function') requestIdleCallback(answer, { timeout: 250 });
          else setTimeout(answer, 0);
        }));
        return;
      }
      case 'costs':
        this.answer(ev.requestId, { costs: ev.costs, latency: ev.latency });
        return;
      case 'latency-pair':
        this.answer(ev.requestId, ev.pair);
        return;
      case 'checkpoint':
        if (st.runs[ev.runId]) this.onCheckpoint?.(ev.runId, ev.checkpoint);
        return;
      case 'preview':
        this.answer(ev.requestId, ev.preview);
        return;
      case 'export':
        this.answer(ev.requestId, ev.files);
        return;
      case 'deploy-variants':
        this.answer(ev.requestId, ev.variants);
        return;
      case 'job-files':
        this.answer(ev.requestId, ev.files);
        return;
      case 'evaluated':
        this.answer(ev.requestId, ev.testAccuracy);
        return;
      case 'energy':
        this.answer(ev.requestId, ev.maps);
        return;
      case 'request-error': {
        const w = this.requests.get(ev.requestId);
        this.requests.delete(ev.requestId);
        w?.reject(new Error(ev.message));
        return;
      }
      case 'bench':
        this.answer(ev.requestId, ev.figures);
        return;
      case 'teacher-imported':
        this.answer(ev.requestId, ev.info);
        return;
      case 'teacher-baseline':
        this.answer(ev.requestId, { baseline: ev.baseline, detected: ev.detected });
        return;
      case 'teacher-progress':
        this.progress.get(ev.requestId)?.(ev.progress);
        return;
    }
  }

  private answer(requestId: string, value: unknown): void {
    const w = this.requests.get(requestId);
    this.requests.delete(requestId);
    w?.resolve(value);
  }

  private request<T>(prefix: string, make: (requestId: string) => WorkerCommand): Promise<T> {
    const requestId = newId(prefix);
    const p = new Promise<T>((resolve, reject) => this.requests.set(requestId, { resolve: resolve as (v: unknown) => void, reject }));
    this.send(make(requestId));
    return p;
  }

  /** The first `count` training images of a dataset, its sizes and class balance. */
  preview(dataset: DatasetId, count: number): Promise<DatasetPreview> {
    return this.request('preview', (requestId) => ({ type: 'preview', requestId, dataset, count }));
  }

  /** The trained student of a finished run as TF.js model files (`saved`: weights from storage). */
  exportStudent(runId: string, saved?: { config: TrainConfig; checkpoint: StoredCheckpoint }, probabilities = false): Promise<ModelFiles> {
    return this.request('export', (requestId) => ({ type: 'export', requestId, runId, saved, probabilities }));
  }

  /** The trained model of a finished run with its taps (a teacher trained here, saved for distillation). */
  exportWithTaps(runId: string): Promise<ModelFiles> {
    return this.request('export', (requestId) => ({ type: 'export', requestId, runId, withTaps: true }));
  }

  /** The inference model in float32, float16 and int8, each with its test accuracy after quantisation. */
  deployVariants(runId: string, saved: { config: TrainConfig; checkpoint: StoredCheckpoint } | undefined, probabilities: boolean): Promise<DeployVariant[]> {
    return this.request('deploy', (requestId) => ({ type: 'deploy-variants', requestId, runId, saved, probabilities }));
  }

  /** The PyTorch DDP job folder for a run's configuration, path → bytes. */
  exportJob(config: TrainConfig): Promise<Record<string, Uint8Array>> {
    return this.request('job', (requestId) => ({ type: 'export-job', requestId, config }));
  }

  /** Loads model files with tf.loadLayersModel in the worker and measures test accuracy. */
  evaluateModel(files: ModelFiles, config: TrainConfig): Promise<number> {
    return this.request('evaluate', (requestId) => ({ type: 'evaluate-model', requestId, files, config }));
  }

  /** Energy maps of teacher and student taps of a finished run over `count` test images. */
  energyMaps(runId: string, count: number, saved?: { config: TrainConfig; checkpoint: StoredCheckpoint }): Promise<EnergyMaps> {
    return this.request('energy', (requestId) => ({ type: 'energy', requestId, runId, count, saved }));
  }

  private settleRun(runId: string, result: RunResult | null): void {
    const w = this.runWaiters.get(runId);
    this.runWaiters.delete(runId);
    w?.resolve(result);
  }

  /** Starts a run; resolves with its result, or null when it stopped or failed. */
  startRun(config: TrainConfig, opts: { teacherUrl?: string | null; resume?: StoredCheckpoint; runId?: string } = {}): { runId: string; done: Promise<RunResult | null> } {
    const runId = opts.runId ?? newId(config.method);
    if (!this.store.getState().runs[runId]) this.store.getState().addRun(runId, config);
    const done = new Promise<RunResult | null>((resolve, reject) => this.runWaiters.set(runId, { resolve, reject }));
    this.send({ type: 'start', runId, config, teacherUrl: opts.teacherUrl ?? null, resume: opts.resume });
    return { runId, done };
  }

  pause(runId: string): void { this.send({ type: 'pause', runId }); }
  resume(runId: string): void { this.send({ type: 'resume', runId }); }
  step(runId: string): void { this.send({ type: 'step', runId }); }
  stop(runId: string): void { this.send({ type: 'stop', runId }); }

  /** Parameters, FLOPs and bytes of a model spec, and optionally its latency per image here. */
  measureCosts(spec: ModelSpec, dataset: DatasetId, latency: boolean): Promise<{ costs: ModelCosts; latency: LatencyReport | null }> {
    return this.request('costs', (requestId) => ({ type: 'costs', requestId, spec, dataset, latency }));
  }

  /** Teacher and student latency per image, measured together, interleaved, after warm-up. */
  measureLatencyPair(teacher: ModelSpec, student: ModelSpec, dataset: DatasetId): Promise<LatencyPair> {
    return this.request('pair', (requestId) => ({ type: 'latency-pair', requestId, teacher, student, dataset }));
  }

  benchSpeed(req: Omit<BenchSpeedRequest, 'type' | 'requestId'>): Promise<BenchFigures> {
    return this.request('bench', (requestId) => ({ type: 'bench-speed', requestId, ...req }));
  }

  /** Tells the worker an imported dataset's shape and classes (before any request names it). */
  registerDataset(info: DatasetInfo): void { this.send({ type: 'dataset-info', info }); }
  /** Checks the user's model files in the worker; resolves with what the model offers (taps, costs). */
  importTeacher(files: TeacherFile[], dataset: DatasetId): Promise<ImportedTeacherInfo> {
    return this.request('teacher', (requestId) => ({ type: 'teacher-import', requestId, files, dataset }));
  }

  /**
   * Test accuracy and latency of an imported teacher on `config.dataset` (`detect`: pick the input
   * scaling first; `limit`: the first `limit` test images only). `onStart` gets the request id
   * (for cancelTeacherMeasure), `onProgress` each progress report.
   */
  teacherBaseline(choice: TeacherChoice, config: TrainConfig, detect: boolean, opts: { limit?: number; onStart?(requestId: string): void; onProgress?(p: TeacherProgress): void } = {}):
    Promise<{ baseline: TeacherBaseline; detected: Record<PreprocessId, number> | null }> {
    let id = '';
    return this.request<{ baseline: TeacherBaseline; detected: Record<PreprocessId, number> | null }>('baseline', (requestId) => {
      id = requestId;
      opts.onStart?.(requestId);
      if (opts.onProgress) this.progress.set(requestId, opts.onProgress);
      return { type: 'teacher-baseline', requestId, choice, config, detect, limit: opts.limit };
    }).finally(() => this.progress.delete(id));
  }

  /** Stops a teacher measurement between two passes (it then fails with a message that it was cancelled). */
  cancelTeacherMeasure(requestId: string): void { this.send({ type: 'cancel-request', requestId }); }

  /** bench:teacher in the worker: the imported teacher's forward pass and RTK steps with it. */
  benchTeacher(config: TrainConfig, runs: number, steps: number): Promise<BenchFigures> {
    return this.request('bench', (requestId) => ({ type: 'bench-teacher', requestId, config, runs, steps }));
  }

  dispose(): void { this.worker.terminate(); }
}
