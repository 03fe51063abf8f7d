/**
 * The only main-thread code that creates and talks to the training worker. Commands go out as
 * verbs; events come back and are written to the store. Events of runs we did not start (or
 * that were superseded) are dropped.
 */
import type {
  BackendPreference, BenchFigures, BenchSpeedRequest, LatencyReport, ModelCosts, ModelSpec, DatasetId,
  RunResult, TrainConfig, WorkerCommand, WorkerEvent,
} from '../domain';
import type { StudioStore } from '../state/store';

let seq = 0;
export function newId(prefix: string): string {
  seq += 1;
  return `${prefix}-${Date.now().toString(36)}-${seq}`;
}

type Waiter<T> = { resolve: (v: T) => void; reject: (e: Error) => void };

export class StudioClient {
  private readonly worker: Worker;
  private readonly runWaiters = new Map<string, Waiter<RunResult | null>>();
  private readonly costWaiters = new Map<string, Waiter<{ costs: ModelCosts; latency: LatencyReport | null }>>();
  private readonly benchWaiters = new Map<string, Waiter<BenchFigures>>();

  constructor(private readonly store: StudioStore, backend: BackendPreference, assetBase = import.meta.env.BASE_URL) {
    this.worker = new Worker(new URL('../worker/main.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<WorkerEvent>) => this.onEvent(e.data);
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
      case 'costs': {
        const w = this.costWaiters.get(ev.requestId);
        this.costWaiters.delete(ev.requestId);
        w?.resolve({ costs: ev.costs, latency: ev.latency });
        return;
      }
      case 'bench': {
        const w = this.benchWaiters.get(ev.requestId);
        this.benchWaiters.delete(ev.requestId);
        w?.resolve(ev.figures);
        return;
      }
    }
  }

  private settleRun(runId: string, result: RunResult | null): void {
    const w = this.runWaiters.get(runId);
    this.runWaiters.delete(runId);
    w?.resolve(result);
  }

  /** Starts a run; resolves with its result, or null when it stopped or failed. */
  startRun(config: TrainConfig, teacherUrl: string | null = null): { runId: string; done: Promise<RunResult | null> } {
    const runId = newId(config.method);
    this.store.getState().addRun(runId, config);
    const done = new Promise<RunResult | null>((resolve, reject) => this.runWaiters.set(runId, { resolve, reject }));
    this.send({ type: 'start', runId, config, teacherUrl });
    return { runId, done };
  }

  pause(runId: string): void { this.send({ type: 'pause', runId }); }
  resume(runId: string): void { this.send({ type: 'resume', runId }); }
  step(runId: string): void { this.send({ type: 'step', runId }); }
  stop(runId: string): void { this.send({ type: 'stop', runId }); }

  measureCosts(spec: ModelSpec, dataset: DatasetId, latency: boolean): Promise<{ costs: ModelCosts; latency: LatencyReport | null }> {
    const requestId = newId('costs');
    const p = new Promise<{ costs: ModelCosts; latency: LatencyReport | null }>((resolve, reject) => this.costWaiters.set(requestId, { resolve, reject }));
    this.send({ type: 'costs', requestId, spec, dataset, latency });
    return p;
  }

  benchSpeed(req: Omit<BenchSpeedRequest, 'type' | 'requestId'>): Promise<BenchFigures> {
    const requestId = newId('bench');
    const p = new Promise<BenchFigures>((resolve, reject) => this.benchWaiters.set(requestId, { resolve, reject }));
    this.send({ type: 'bench-speed', requestId, ...req });
    return p;
  }

  dispose(): void { this.worker.terminate(); }
}
