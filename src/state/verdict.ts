/**
 * The pilot card's numbers: accuracy mean ± sd per method over seeds, the verdict of a
 * distilled student against the student alone, and one plain sentence against the teacher.
 */
import type { MethodId, TrainConfig } from '../domain';
import type { RunRecord } from './store';

export interface MethodStats {
  method: MethodId;
  /** Finished runs counted. */
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null for a single run. */
  sd: number | null;
  seeds: number[];
  accuracies: number[];
}

/** Same experiment apart from the method and seed (and the backend, which does not change the maths). */
export function sameBudget(a: TrainConfig, b: TrainConfig): boolean {
  return a.dataset === b.dataset && a.student.arch === b.student.arch && a.student.width === b.student.width
    && a.student.depth === b.student.depth && a.student.plan === b.student.plan && a.epochs === b.epochs && a.batchSize === b.batchSize
    && a.learningRate === b.learningRate && a.lrSchedule === b.lrSchedule && a.trainLimit === b.trainLimit
    && a.testLimit === b.testLimit && a.valFraction === b.valFraction && sameTrainer(a, b);
}

/** Same optimiser (with SGD's momentum and weight decay) and augmentation; runs saved before these existed were Adam without augmentation. */
function sameTrainer(a: TrainConfig, b: TrainConfig): boolean {
  const opt = (c: TrainConfig) => c.optimizer ?? 'adam';
  return opt(a) === opt(b) && (a.augment ?? 'none') === (b.augment ?? 'none')
    && (opt(a) !== 'sgd' || (a.momentum === b.momentum && a.weightDecay === b.weightDecay));
}

export function meanSd(xs: number[]): { mean: number; sd: number | null } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: null };
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
}

/**
 * Statistics of the finished runs of `method` with the budget of `config`; for each seed the
 * latest run counts once. Null when no such run finished.
 */
export function methodStats(runs: RunRecord[], config: TrainConfig, method: MethodId): MethodStats | null {
  const bySeed = new Map<number, number>();
  for (const r of runs) {
    // Runs imported from a job elsewhere get their own row (pilotCardModel), never mixed into the seeds.
    if (r.method !== method || !r.result || r.origin || !sameBudget(r.config, config)) continue;
    if (method !== 'student-alone' && JSON.stringify(r.config.options) !== JSON.stringify(config.options)) continue;
    bySeed.set(r.config.seed, r.result.testAccuracy);
  }
  if (bySeed.size === 0) return null;
  const seeds = [...bySeed.keys()].sort((a, b) => a - b);
  const accuracies = seeds.map((s) => bySeed.get(s)!);
  return { method, n: seeds.length, ...meanSd(accuracies), seeds, accuracies };
}

export type VerdictKind = 'better' | 'not-better' | 'inconclusive';
export interface Verdict {
  kind: VerdictKind;
  /** Distilled minus student alone, in accuracy points (percent). */
  diffPoints: number;
  /** Spread the difference is compared with, in points; null for single runs. */
  spreadPoints: number | null;
  single: boolean;
  text: string;
}

/**
 * Distilled vs student alone. With several seeds on both sides the spread is the standard
 * deviation of a difference of two runs, √(sd_b² + sd_d²); a difference within it is
 * inconclusive. With a single run on either side the sign is reported, labelled as a single run.
 */
export function verdict(base: MethodStats, distilled: MethodStats, label: string): Verdict {
  const diffPoints = (distilled.mean - base.mean) * 100;
  const single = base.sd === null || distilled.sd === null;
  const spreadPoints = single ? null : Math.sqrt(base.sd! ** 2 + distilled.sd! ** 2) * 100;
  const signed = `${diffPoints >= 0 ? '+' : '−'}${Math.abs(diffPoints).toFixed(2)} points`;
  let kind: VerdictKind;
  let text: string;
  if (spreadPoints !== null && Math.abs(diffPoints) <= spreadPoints) {
    kind = 'inconclusive';
    text = `Inconclusive: ${label} differs from the student alone by ${signed}, within the spread between seeds (±${spreadPoints.toFixed(2)}).`;
  } else {
    kind = diffPoints > 0 ? 'better' : 'not-better';
    const what = kind === 'better' ? `${label} is better than the student alone` : `${label} is not better than the student alone`;
    text = single
      ? `${what} (${signed}), from a single run each: run 3 seeds to know whether this is more than noise.`
      : `${what} (${signed}, beyond the spread between seeds of ±${spreadPoints!.toFixed(2)}).`;
  }
  return { kind, diffPoints, spreadPoints, single, text };
}

const ratio = (a: number, b: number): string => {
  const r = a / b;
  return r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`;
};

export interface Comparison {
  teacherParams: number;
  studentParams: number;
  /** Median latency per image on this device, ms; null when not measured. */
  teacherMs: number | null;
  studentMs: number | null;
  teacherAccuracy: number;
  studentAccuracy: number;
  /** From a latency pair (src/domain/latencyPair.ts): "7.8× faster here (6.9–8.8×)", or null when the machine was too busy to tell; replaces teacherMs / studentMs. */
  speed?: string | null;
}

/** "the student is 14× smaller and 6× faster here, and loses 0.4 points" */
export function summarySentence(c: Comparison): string {
  const size = c.studentParams <= c.teacherParams
    ? `${ratio(c.teacherParams, c.studentParams)} smaller` : `${ratio(c.studentParams, c.teacherParams)} larger`;
  let speed = '';
  if (c.speed !== undefined) speed = c.speed === null ? ' (its speed: the machine was too busy to tell)' : ` and ${c.speed}`;
  else if (c.teacherMs !== null && c.studentMs !== null && c.teacherMs > 0 && c.studentMs > 0) {
    speed = c.studentMs <= c.teacherMs ? ` and ${ratio(c.teacherMs, c.studentMs)} faster here` : ` and ${ratio(c.studentMs, c.teacherMs)} slower here`;
  }
  const d = (c.studentAccuracy - c.teacherAccuracy) * 100;
  const acc = Math.abs(d) < 0.05 ? 'keeps the same accuracy' : d < 0 ? `loses ${(-d).toFixed(1)} points` : `gains ${d.toFixed(1)} points`;
  return `Against the teacher, the student is ${size}${speed}, and ${acc}.`;
}
