/**
 * What the explorer reads from the studio store, with module-scope selectors that return stable
 * values: the list of attention runs as one string (so progress reports do not re-render the
 * explorer), and the evaluations of the chosen run.
 */
import { useMemo } from 'react';
import type { DatasetId, EvalReport, KeyStats, MethodId, RunState, TrainConfig } from '../../domain';
import { METHODS } from '../../domain';
import { ofChosenExperiment } from '../../state/selectors';
import type { Studio } from '../../state/store';
import { useStudio } from '../context';
import { selectExplorerEvalIndex, selectExplorerRunId, useExplorerStore } from './explorerStore';

export interface AttentionRunRef { runId: string; method: MethodId; state: RunState; hasKeys: boolean; seed: number; dataset: DatasetId; origin?: string }

/**
 * "runId|method|state|0/1|seed|dataset|origin" per attention run (AFD, RTK) of the chosen dataset
 * and teacher, in start order, joined by newlines.
 */
export const selectAttentionRunsKey = (s: Studio): string => {
  const rows: string[] = [];
  for (const id of s.runOrder) {
    const r = s.runs[id];
    if (!METHODS[r.method].usesAttention || !ofChosenExperiment(r.config, s.config)) continue;
    rows.push(`${id}|${r.method}|${r.state}|${r.evals.some((e) => e.keys) ? 1 : 0}|${r.config.seed}|${r.config.dataset}|${r.origin ?? ''}`);
  }
  return rows.join('\n');
};

export function parseAttentionRuns(key: string): AttentionRunRef[] {
  if (!key) return [];
  return key.split('\n').map((row) => {
    const [runId, method, state, keys, seed, dataset, ...rest] = row.split('|');
    const origin = rest.join('|');
    return { runId, method: method as MethodId, state: state as RunState, hasKeys: keys === '1', seed: Number(seed), dataset: dataset as DatasetId,
      ...(origin ? { origin } : {}) };
  });
}

const isActive = (s: RunState) => s === 'loading' || s === 'running' || s === 'paused';

/** The run to show: the user's pick, else the active attention run, else the latest with keys, else the latest. */
export function pickRun(runs: AttentionRunRef[], chosen: string | null): AttentionRunRef | null {
  if (chosen) {
    const r = runs.find((x) => x.runId === chosen);
    if (r) return r;
  }
  for (let i = runs.length - 1; i >= 0; i--) if (isActive(runs[i].state)) return runs[i];
  for (let i = runs.length - 1; i >= 0; i--) if (runs[i].hasKeys) return runs[i];
  return runs.length ? runs[runs.length - 1] : null;
}

const evalSelectors = new Map<string, (s: Studio) => EvalReport[] | undefined>();
/** Module-scope selector of one run's evaluations (one cached function per run id). */
export function selectRunEvals(runId: string): (s: Studio) => EvalReport[] | undefined {
  let f = evalSelectors.get(runId);
  if (!f) {
    f = (s) => s.runs[runId]?.evals;
    evalSelectors.set(runId, f);
  }
  return f;
}
const configSelectors = new Map<string, (s: Studio) => TrainConfig | undefined>();
export function selectRunConfig(runId: string): (s: Studio) => TrainConfig | undefined {
  let f = configSelectors.get(runId);
  if (!f) {
    f = (s) => s.runs[runId]?.config;
    configSelectors.set(runId, f);
  }
  return f;
}
const NONE = (): undefined => undefined;

export interface ExplorerRun {
  runs: AttentionRunRef[];
  run: AttentionRunRef | null;
  config: TrainConfig | null;
  /** Key statistics of the evaluation shown: the latest that has them, or the one scrubbed to. */
  keys: KeyStats | null;
  latest: EvalReport | null;
  /** Evaluations with key statistics so far (grows by one per "step one batch"). */
  evalCount: number;
  /** The run's evaluations with key statistics, in order, and the index of the one shown. */
  keyEvals: EvalReport[];
  shown: number;
}

export function useExplorerRun(): ExplorerRun {
  const key = useStudio(selectAttentionRunsKey);
  const chosen = useExplorerStore(selectExplorerRunId);
  const runs = useMemo(() => parseAttentionRuns(key), [key]);
  const run = pickRun(runs, chosen);
  const evals = useStudio(run ? selectRunEvals(run.runId) : NONE);
  const config = useStudio(run ? selectRunConfig(run.runId) : NONE) ?? null;
  const wanted = useExplorerStore(selectExplorerEvalIndex);
  const keyEvals = useMemo(() => (evals ?? []).filter((e) => e.keys), [evals]);
  return useMemo(() => {
    const shown = wanted === null ? keyEvals.length - 1 : Math.min(wanted, keyEvals.length - 1);
    const latest = shown >= 0 ? keyEvals[shown] : null;
    return { runs, run, config, keys: latest?.keys ?? null, latest, evalCount: keyEvals.length, keyEvals, shown };
  }, [runs, run, config, keyEvals, wanted]);
}
