/**
 * Autosave of the experiment to IndexedDB: the configuration, the run records (with evals,
 * curves and results), the plan, and the latest checkpoint of each run. The pure parts (what is
 * saved, how saved runs come back, the resume offer) are separate from the thin IndexedDB layer
 * (the `idb` library).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { StoredCheckpoint, TrainConfig } from '../domain';
import type { Plan, ResumeOffer, RunRecord, StudioState } from './store';

export interface SavedExperiment { version: 1; config: TrainConfig; runs: RunRecord[]; plan: Plan | null; savedAt: number }
export interface SavedCheckpoint { runId: string; config: TrainConfig; checkpoint: StoredCheckpoint; savedAt: number }

/** Runs kept in storage (the oldest beyond this are dropped, with their checkpoints). */
export const MAX_SAVED_RUNS = 30;

export function experimentToSave(s: Saved, now = Date.now()): SavedExperiment {
  const runs = s.runOrder.slice(-MAX_SAVED_RUNS).map((id) => s.runs[id]);
  return { version: 1, config: s.config, runs, plan: s.plan, savedAt: now };
}

const UNFINISHED = new Set(['loading', 'running', 'paused']);

type Saved = Pick<StudioState, 'config' | 'runs' | 'runOrder' | 'plan'>;

/**
 * Whether a change of the store is worth an autosave. An unfinished run's progress, curve and
 * evaluations are not: a reload keeps only what its last checkpoint covers, and each checkpoint
 * saves the experiment anyway. Skipping them keeps a training run from cloning every run record
 * into IndexedDB on the main thread once a second.
 */
export function worthSaving(s: Saved, prev: Saved): boolean {
  if (s.config !== prev.config || s.plan !== prev.plan || s.runOrder !== prev.runOrder) return true;
  if (s.runs === prev.runs) return false;
  return s.runOrder.some((id) => {
    const r = s.runs[id];
    const p = prev.runs[id];
    return r !== p && (!p || r.state !== p.state || !UNFINISHED.has(r.state));
  });
}

/** Whether a run got its result in this change: saved at once, not a second later (a reload right after a pilot keeps it). */
export function resultArrived(s: Saved, prev: Saved): boolean {
  return s.runs !== prev.runs && s.runOrder.some((id) => s.runs[id]?.result != null && prev.runs[id]?.result == null);
}

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

interface Schema extends DBSchema {
  experiment: { key: string; value: SavedExperiment };
  checkpoints: { key: string; value: SavedCheckpoint };
}

/** The studio's IndexedDB database (through `idb`): one experiment record and one checkpoint per run. */
export class ExperimentDb {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(factory: IDBFactory | undefined = globalThis.indexedDB): Promise<ExperimentDb> {
    if (!factory) {
      const e = new Error('IndexedDB is not available in this browser (private window or storage disabled).');
      e.name = 'unavailable';
      throw e;
    }
    const db = await openDB<Schema>(DB_NAME, 1, {
      upgrade(d) {
        d.createObjectStore('experiment');
        d.createObjectStore('checkpoints', { keyPath: 'runId' });
      },
      blocked() { /* another tab holds an older version; open() waits for it */ },
    });
    return new ExperimentDb(db);
  }

  async loadExperiment(): Promise<SavedExperiment | null> {
    const v = await this.db.get('experiment', 'current');
    return v?.version === 1 ? v : null;
  }

  async saveExperiment(exp: SavedExperiment): Promise<void> {
    const tx = this.db.transaction(['experiment', 'checkpoints'], 'readwrite');
    void tx.objectStore('experiment').put(exp, 'current');
    // Drop checkpoints of runs no longer saved.
    const keep = new Set(exp.runs.map((r) => r.runId));
    const cps = tx.objectStore('checkpoints');
    for (const k of await cps.getAllKeys()) if (!keep.has(String(k))) void cps.delete(k);
    await tx.done;
  }

  async saveCheckpoint(cp: SavedCheckpoint): Promise<void> {
    await this.db.put('checkpoints', cp);
  }

  async loadCheckpoint(runId: string): Promise<SavedCheckpoint | null> {
    return (await this.db.get('checkpoints', runId)) ?? null;
  }

  /** Epochs finished by each saved checkpoint. */
  async checkpointEpochs(): Promise<Map<string, number>> {
    const all = await this.db.getAll('checkpoints');
    return new Map(all.map((c) => [c.runId, c.checkpoint.epoch]));
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(['experiment', 'checkpoints'], 'readwrite');
    void tx.objectStore('experiment').clear();
    void tx.objectStore('checkpoints').clear();
    await tx.done;
  }
}
