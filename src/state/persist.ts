/**
 * Autosave of the experiment to IndexedDB: the configuration, the run records (with evals,
 * curves and results), the plan, and the latest checkpoint of each run. The pure parts (what is
 * saved, how saved runs come back, the resume offer) are separate from the thin IndexedDB layer.
 */
import type { CheckpointData, TrainConfig } from '../domain';
import type { Plan, ResumeOffer, RunRecord, StudioState } from './store';

export interface SavedExperiment { version: 1; config: TrainConfig; runs: RunRecord[]; plan: Plan | null; savedAt: number }
export interface SavedCheckpoint { runId: string; config: TrainConfig; checkpoint: CheckpointData; savedAt: number }

/** Runs kept in storage (the oldest beyond this are dropped, with their checkpoints). */
export const MAX_SAVED_RUNS = 30;

export function experimentToSave(s: Pick<StudioState, 'config' | 'runs' | 'runOrder' | 'plan'>, now = Date.now()): SavedExperiment {
  const runs = s.runOrder.slice(-MAX_SAVED_RUNS).map((id) => s.runs[id]);
  return { version: 1, config: s.config, runs, plan: s.plan, savedAt: now };
}

const UNFINISHED = new Set(['loading', 'running', 'paused']);

/**
 * Saved runs as they come back after a reload. An unfinished run becomes 'stopped' and keeps
 * only what happened up to its last checkpoint; the latest one with a checkpoint of at least
 * one finished epoch is offered for resuming.
 */
export function reviveRuns(saved: SavedExperiment, checkpointEpochs: Map<string, number>): { runs: RunRecord[]; offer: ResumeOffer | null } {
  let offer: ResumeOffer | null = null;
  const runs = saved.runs.map((r): RunRecord => {
    if (!UNFINISHED.has(r.state)) return { ...r, restored: true };
    const epoch = checkpointEpochs.get(r.runId) ?? 0;
    const perEpoch = r.progress?.stepsPerEpoch ?? 0;
    const resumable = epoch >= 1 && epoch < r.config.epochs;
    if (resumable) {
      const index = saved.plan ? saved.plan.runIds.indexOf(r.runId) : -1;
      offer = { runId: r.runId, method: r.method, epoch, epochs: r.config.epochs, ...(index >= 0 ? { plan: saved.plan, index } : {}) };
    }
    return {
      ...r,
      restored: true,
      state: 'stopped',
      message: epoch >= 1
        ? `Interrupted by a reload after epoch ${epoch} of ${r.config.epochs}`
        : 'Interrupted by a reload before its first epoch finished',
      evals: r.evals.filter((e) => e.split === 'val' && e.epoch < epoch),
      curve: r.curve.filter((p) => p.step <= epoch * perEpoch),
    };
  });
  return { runs, offer };
}

/** A storage failure in words, with what still works. */
export function storageErrorText(err: unknown): string {
  const name = err instanceof Error || (typeof err === 'object' && err !== null && 'name' in err) ? String((err as { name: string }).name) : '';
  const msg = err instanceof Error ? err.message : String(err);
  if (name === 'QuotaExceededError' || /quota/i.test(msg)) {
    return 'Autosave is off: this site’s browser storage is full (QuotaExceededError). Delete saved runs or free disk space; the studio keeps working, but a reload will lose unsaved runs, so export what you need.';
  }
  if (name === 'unavailable') {
    return `Autosave is off: ${msg} The studio keeps working, but a reload will lose this session’s runs, so export what you need.`;
  }
  return `Autosave is off: the browser refused to save (${name || 'error'}: ${msg}). The studio keeps working; export what you need before reloading.`;
}

const DB_NAME = 'rtk-distillation-studio';
const EXPERIMENT = 'experiment';
const CHECKPOINTS = 'checkpoints';

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

/** The studio's IndexedDB database: one experiment record and one checkpoint per run. */
export class ExperimentDb {
  private constructor(private readonly db: IDBDatabase) {}

  static open(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<ExperimentDb> {
    if (!factory) {
      const e = new Error('IndexedDB is not available in this browser (private window or storage disabled).');
      e.name = 'unavailable';
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const req = factory.open(DB_NAME, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore(EXPERIMENT);
        req.result.createObjectStore(CHECKPOINTS, { keyPath: 'runId' });
      };
      req.onsuccess = () => resolve(new ExperimentDb(req.result));
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(Object.assign(new Error('IndexedDB is blocked by another tab of the studio.'), { name: 'unavailable' }));
    });
  }

  async loadExperiment(): Promise<SavedExperiment | null> {
    const v = await done(this.db.transaction(EXPERIMENT).objectStore(EXPERIMENT).get('current'));
    return (v as SavedExperiment | undefined)?.version === 1 ? (v as SavedExperiment) : null;
  }

  async saveExperiment(exp: SavedExperiment): Promise<void> {
    const tx = this.db.transaction([EXPERIMENT, CHECKPOINTS], 'readwrite');
    tx.objectStore(EXPERIMENT).put(exp, 'current');
    // Drop checkpoints of runs no longer saved.
    const keep = new Set(exp.runs.map((r) => r.runId));
    const keys = await done(tx.objectStore(CHECKPOINTS).getAllKeys());
    for (const k of keys) if (!keep.has(String(k))) tx.objectStore(CHECKPOINTS).delete(k);
    await committed(tx);
  }

  async saveCheckpoint(cp: SavedCheckpoint): Promise<void> {
    const tx = this.db.transaction(CHECKPOINTS, 'readwrite');
    tx.objectStore(CHECKPOINTS).put(cp);
    await committed(tx);
  }

  async loadCheckpoint(runId: string): Promise<SavedCheckpoint | null> {
    return ((await done(this.db.transaction(CHECKPOINTS).objectStore(CHECKPOINTS).get(runId))) as SavedCheckpoint | undefined) ?? null;
  }

  /** Epochs finished by each saved checkpoint. */
  async checkpointEpochs(): Promise<Map<string, number>> {
    const all = (await done(this.db.transaction(CHECKPOINTS).objectStore(CHECKPOINTS).getAll())) as SavedCheckpoint[];
    return new Map(all.map((c) => [c.runId, c.checkpoint.epoch]));
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction([EXPERIMENT, CHECKPOINTS], 'readwrite');
    tx.objectStore(EXPERIMENT).clear();
    tx.objectStore(CHECKPOINTS).clear();
    await committed(tx);
  }
}
