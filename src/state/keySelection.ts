/**
 * The key selection of a run as evidence (issue "Key selection that means something"): every
 * finished seed of the same experiment recomputed with one rule, k and threshold, each key's
 * influence as the mean over seeds with its spread, the share of seeds that kept it, and kept /
 * dropped / undecided. This is the distillation card's `keySelection` and the report's table.
 */
import type { ImportanceRule, KeyStats, ThresholdRule } from '../domain';
import type { RunRecord } from './store';
import { keptMask, keptShare, sd, shownSelection, thresholdValue } from '../domain';
import { sameBudget } from './verdict';

export interface KeyEvidenceRow {
  name: string;
  influence: number;
  influenceSd: number;
  kept: boolean | 'undecided';
  /** Fraction of seeds whose own selection kept the key. */
  keptShare: number;
}

export interface KeySelectionEvidence {
  importance: ImportanceRule;
  k: number;
  /** τ of the mean influences (the fixed value, or their mean). */
  tau: number;
  threshold: ThresholdRule;
  seeds: number[];
  /** 'seeds' when several seeds ran, else 'batches' (groups of evaluated images of one run). */
  spreadOver: 'seeds' | 'batches';
  keys: KeyEvidenceRow[];
}

/** Finished runs of the same experiment as `run` (method, budget, options), one per seed (the latest), with test key statistics. */
export function seedSiblings(run: RunRecord, runs: RunRecord[]): RunRecord[] {
  const bySeed = new Map<number, RunRecord>();
  const opts = JSON.stringify(run.config.options);
  for (const r of runs) {
    if (r.method !== run.method || r.origin || !r.result?.test.keys || !sameBudget(r.config, run.config)) continue;
    if (JSON.stringify(r.config.options) !== opts) continue;
    if ((r.config.importedTeacher?.fingerprint ?? null) !== (run.config.importedTeacher?.fingerprint ?? null)) continue;
    bySeed.set(r.config.seed, r);
  }
  if (run.result?.test.keys && !run.origin) bySeed.set(run.config.seed, bySeed.get(run.config.seed) ?? run);
  return [...bySeed.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
}

/**
 * The evidence for one rule, k and threshold (default: what the run trained with) over the
 * finished seeds of the run's experiment. Null without key statistics.
 */
export function keySelectionEvidence(run: RunRecord, runs: RunRecord[], view: { importance?: ImportanceRule; k?: number; threshold?: ThresholdRule } = {}): KeySelectionEvidence | null {
  const own: KeyStats | null | undefined = run.result?.test.keys;
  if (!own) return null;
  const importance = view.importance ?? own.importance ?? 'afd';
  const k = view.k ?? own.k;
  const threshold = view.threshold ?? run.config.options.rtk.threshold;
  const siblings = seedSiblings(run, runs);
  const sels = siblings.map((r) => shownSelection(r.result!.test.keys!, importance, k, threshold)).filter((s) => s !== null);
  if (!sels.length) return null;
  const T = own.T;
  const influence = Array.from({ length: T }, (_, n) => sels.reduce((a, s) => a + s.influence[n], 0) / sels.length);
  const several = sels.length > 1;
  const spread = several ? Array.from({ length: T }, (_, n) => sd(sels.map((s) => s.influence[n]))) : sels[0].spread;
  const tau = thresholdValue(influence, threshold);
  const kept = keptMask(influence, tau);
  const share = keptShare(sels.map((s) => s.kept));
  return {
    importance, k, tau, threshold,
    seeds: siblings.map((r) => r.config.seed),
    spreadOver: several ? 'seeds' : 'batches',
    keys: own.teacherTaps.map((name, n) => {
      const s = spread[n] ?? 0;
      const undecided = s > 0 && Math.abs(influence[n] - tau) <= s;
      return { name, influence: influence[n], influenceSd: s, kept: undecided ? 'undecided' : kept[n] === 1, keptShare: share[n] };
    }),
  };
}
