/**
 * Module-scope selectors: each component selects one thing. Selectors return values held in the
 * store (never fresh arrays or objects); derived values are plain functions of those values.
 */
import type { MethodId, TrainConfig } from '../domain';
import type { RunRecord, Studio } from './store';

export const selectConfig = (s: Studio) => s.config;
export const selectDataset = (s: Studio) => s.config.dataset;
export const selectStudent = (s: Studio) => s.config.student;
export const selectMethod = (s: Studio) => s.config.method;
export const selectOptions = (s: Studio) => s.config.options;
export const selectBackend = (s: Studio) => s.backend;
export const selectPilot = (s: Studio) => s.pilot;
export const selectPlan = (s: Studio) => s.plan;
export const selectRunOrder = (s: Studio) => s.runOrder;
export const selectRuns = (s: Studio) => s.runs;
export const selectCosts = (s: Studio) => s.costs;
export const selectTeacherCards = (s: Studio) => s.teacherCards;
export const selectLastError = (s: Studio) => s.lastError;
export const selectUrlIssues = (s: Studio) => s.urlIssues;
export const selectPresenter = (s: Studio) => s.presenter;
export const selectStorage = (s: Studio) => s.storage;
export const selectResumeOffer = (s: Studio) => s.resumeOffer;
export const selectViewRunIds = (s: Studio) => s.viewRunIds;
export const selectBusy = (s: Studio) => s.pilot.status === 'running' || selectActiveRun(s) !== null;

/** The run currently loading, running or paused, if any. */
export const selectActiveRun = (s: Studio): RunRecord | null => {
  for (let i = s.runOrder.length - 1; i >= 0; i--) {
    const r = s.runs[s.runOrder[i]];
    if (r.state === 'loading' || r.state === 'running' || r.state === 'paused') return r;
  }
  return null;
};

/** The most recent run, finished or not (what the training view shows when nothing runs). */
export const selectLatestRun = (s: Studio): RunRecord | null => (s.runOrder.length ? s.runs[s.runOrder[s.runOrder.length - 1]] : null);

/** Finished runs in start order; use with useShallow (a finished record no longer changes, so 5 Hz progress of the active run does not re-render). */
export const selectFinishedRuns = (s: Studio): RunRecord[] => s.runOrder.map((id) => s.runs[id]).filter((r) => r.result !== null);

/** Fraction of the run's steps done, in [0, 1]. */
export function runProgress(r: RunRecord | null): number {
  if (!r) return 0;
  if (r.state === 'done') return 1;
  if (!r.progress || r.progress.totalSteps === 0) return 0;
  return Math.min(1, r.progress.step / r.progress.totalSteps);
}

/** Estimated milliseconds left from the pace so far, or null before any progress. */
export function runEtaMs(r: RunRecord | null): number | null {
  if (!r?.progress || r.progress.step === 0) return null;
  const p = r.progress;
  return (p.elapsedMs / p.step) * (p.totalSteps - p.step);
}

/** Final test accuracy per method id of finished runs (the latest run of each method wins). */
export function testAccuracyByMethod(s: Pick<Studio, 'runs' | 'runOrder'>, only?: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of only ?? s.runOrder) {
    const r = s.runs[id];
    if (r?.result) out[r.method] = r.result.testAccuracy;
  }
  return out;
}

/** The runs the charts overlay: the chosen ones, else the latest run of each method. */
export function runsInView(runs: Record<string, RunRecord>, order: string[], view: string[] | null): RunRecord[] {
  if (view) return view.map((id) => runs[id]).filter(Boolean);
  const latest = new Map<MethodId, RunRecord>();
  for (const id of order) latest.set(runs[id].method, runs[id]);
  return [...latest.values()];
}

type SpecLike = { arch: string; width: number; depth: number; plan?: string };
/** A spec in a cache key; a named stride plan is added, so keys of specs without one are as before. */
const specPart = (s: SpecLike): string => `${s.arch}|${s.width}|${s.depth}${s.plan ? `|${s.plan}` : ''}`;

/** Cache key of a cost measurement. */
export function costKey(dataset: string, spec: SpecLike, latency: boolean): string {
  return `${dataset}|${specPart(spec)}|${latency ? 'lat' : 'static'}`;
}

/** Whether a run distils the dataset and teacher chosen now (the explorer, the rail and the card show only those; the runs table shows all). */
export function ofChosenExperiment(config: TrainConfig, chosen: TrainConfig): boolean {
  return config.dataset === chosen.dataset && (config.importedTeacher?.fingerprint ?? null) === (chosen.importedTeacher?.fingerprint ?? null);
}

/** Cache key of a teacher/student latency pair. */
export function pairKey(dataset: string, teacher: SpecLike, student: SpecLike): string {
  return `${dataset}|${specPart(teacher)}|${specPart(student)}`;
}
export const selectLatencyPairs = (s: Studio) => s.latencyPairs;

/** Why the chosen built-in dataset cannot be loaded here (not prepared on this machine), or null. */
export const selectDatasetMissing = (s: Pick<Studio, 'config' | 'datasetsNotReady'>): string | null => s.datasetsNotReady?.[s.config.dataset] ?? null;
