/** The pilot card's rows and sentences, from the store's plain data (pure: unit-tested). */
import type { LatencyPair, LatencyReport, MethodId, ModelCosts, TrainConfig } from '../domain';
import { METHODS, speedPhrase } from '../domain';
import { costKey, pairKey } from '../state/selectors';
import type { CostEntry, RunRecord, TeacherCardState } from '../state/store';
import { methodStats, summarySentence, verdict, type MethodStats, type Verdict } from '../state/verdict';

/** 'RTK (representative teacher keys)' → 'RTK'. */
export const shortLabel = (m: MethodId): string => METHODS[m].label.split(' (')[0];

export interface CardRow {
  /** `job:<runId>` for a run imported from a job that ran elsewhere. */
  key: 'teacher' | MethodId | `job:${string}`;
  label: string;
  stats: MethodStats | null;
  /** Teacher accuracy from its card (no seeds). */
  accuracy: number | null;
  costs: ModelCosts | null;
  latency: LatencyReport | null;
}

export interface CardModel {
  rows: CardRow[];
  verdict: Verdict | null;
  sentence: string | null;
  distilled: MethodId | null;
  /** Teacher and student latency measured together, when measured. */
  speed: LatencyPair | null;
}

const reportOf = (p: LatencyPair, m: { medianMs: number; p95Ms: number }): LatencyReport => ({ backend: p.backend, medianMs: m.medianMs, p95Ms: m.p95Ms, runs: p.rounds, batchSize: 1 });

/** `list`: runs in start order (only finished ones count). */
export function pilotCardModel(config: TrainConfig, list: RunRecord[],
  teacher: TeacherCardState | undefined, costs: Record<string, CostEntry>, pairs: Record<string, LatencyPair> = {}): CardModel {
  const distilled = config.method === 'student-alone' ? null : config.method;
  const studentCost = costs[costKey(config.dataset, config.student, false)]?.costs
    ?? list.find((r) => r.result && r.config.student.arch === config.student.arch && r.config.student.width === config.student.width
      && r.config.student.depth === config.student.depth && r.config.student.plan === config.student.plan && r.config.dataset === config.dataset)?.result?.studentCosts ?? null;
  const t = teacher?.status === 'ok' ? teacher.card : null;
  const speed = t && !t.imported ? pairs[pairKey(config.dataset, t.spec, config.student)] ?? null : null;
  const studentLatency = speed ? reportOf(speed, speed.student) : costs[costKey(config.dataset, config.student, true)]?.latency ?? null;
  const rows: CardRow[] = [{
    key: 'teacher', label: t?.imported ? `Teacher (yours: ${t.imported.name})` : 'Teacher', stats: null, accuracy: t?.testAccuracy ?? null, costs: t?.costs ?? null,
    latency: t ? (t.imported ? t.imported.latency : speed ? reportOf(speed, speed.teacher) : costs[costKey(config.dataset, t.spec, true)]?.latency ?? null) : null,
  }];
  for (const m of ['student-alone', ...(distilled ? [distilled] : [])] as MethodId[]) {
    const stats = methodStats(list, config, m);
    rows.push({ key: m, label: m === 'student-alone' ? 'Student alone' : `Distilled student (${shortLabel(m)})`, stats, accuracy: stats?.mean ?? null, costs: studentCost, latency: studentLatency });
  }
  // Runs imported from a finished job, one row each, labelled with where they ran and their budget.
  for (const r of list) {
    if (!r.origin || !r.result || r.config.dataset !== config.dataset) continue;
    const who = r.method === 'student-alone' ? 'Student alone' : `Distilled student (${shortLabel(r.method)})`;
    rows.push({
      key: `job:${r.runId}`, label: `${who} · ${r.origin} · ${r.config.epochs} epoch${r.config.epochs === 1 ? '' : 's'}`,
      stats: { method: r.method, n: 1, mean: r.result.testAccuracy, sd: null, seeds: [r.config.seed], accuracies: [r.result.testAccuracy] },
      accuracy: r.result.testAccuracy, costs: r.result.studentCosts ?? studentCost, latency: null,
    });
  }
  const base = rows[1].stats;
  const dist = distilled ? rows[2].stats : null;
  const v = base && dist && distilled ? verdict(base, dist, shortLabel(distilled)) : null;
  const best = dist ?? base;
  const sentence = t && best && studentCost ? summarySentence({
    teacherParams: t.costs.params, studentParams: studentCost.params,
    teacherMs: rows[0].latency?.medianMs ?? null, studentMs: studentLatency?.medianMs ?? null,
    teacherAccuracy: t.testAccuracy, studentAccuracy: best.mean, ...(speed ? { speed: speedPhrase(speed) } : {}),
  }) : null;
  return { rows, verdict: v, sentence, distilled, speed };
}
