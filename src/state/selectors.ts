/** Module-scope selectors: each component selects one thing. */
import type { RunRecord, Studio } from './store';

export const selectConfig = (s: Studio) => s.config;
export const selectBackend = (s: Studio) => s.backend;
export const selectPilot = (s: Studio) => s.pilot;
export const selectRunOrder = (s: Studio) => s.runOrder;
export const selectRuns = (s: Studio) => s.runs;
export const selectCosts = (s: Studio) => s.costs;
export const selectLastError = (s: Studio) => s.lastError;

/** The run currently loading, running or paused, if any. */
export const selectActiveRun = (s: Studio): RunRecord | null => {
  for (let i = s.runOrder.length - 1; i >= 0; i--) {
    const r = s.runs[s.runOrder[i]];
    if (r.state === 'loading' || r.state === 'running' || r.state === 'paused') return r;
  }
  return null;
};

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
export function testAccuracyByMethod(s: Studio): Record<string, number> {
  const out: Record<string, number> = {};
  for (const id of s.runOrder) {
    const r = s.runs[id];
    if (r.result) out[r.method] = r.result.testAccuracy;
  }
  return out;
}
