/**
 * Teacher and student latency measured together: the same window, interleaved, after warm-up.
 * Each sample times a block of back-to-back inferences (a few ms, so timer resolution weighs
 * little) and is divided by the block's length.
 * Pure: unit-tested; the worker times the blocks (src/ml/models/costs.ts).
 */
import type { BackendId } from './registry';

export interface LatencyPair {
  backend: BackendId;
  /** Per image, ms, over all blocks: median and p95 (what the machine gave, disturbances included). */
  teacher: { medianMs: number; p95Ms: number };
  student: { medianMs: number; p95Ms: number };
  /** Per image, ms: the 20th percentile of the blocks, each model's time when the machine lets it run. */
  teacherQuietMs: number;
  studentQuietMs: number;
  /** teacherQuietMs / studentQuietMs. */
  ratio: number;
  /**
   * The ratio's interval, from each model's quieter half (10th–50th percentile of its blocks):
   * [t10 / s50, t50 / s10]. Wider than the quiet band itself, because the quiet level shifts
   * between visits on a shared machine (5 reloads of one pilot on 2 busy cores: 5.6×–7.2×).
   */
  low: number;
  high: number;
  rounds: number;
  /** Inferences per timed block (teacher, student). */
  block: [number, number];
  /** A quiet band wider than BUSY_BAND (or an interval wider than BUSY_SPREAD): the machine was too busy to tell. */
  busy: boolean;
}

/** Nearest-rank percentile, p in (0, 100]. */
export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** A model's quiet band (30th / 10th percentile of its blocks) wider than this: its blocks were rarely left alone. */
export const BUSY_BAND = 1.35;
/** A ratio interval wider than this factor (high / low) cannot tell how much faster one model is. */
export const BUSY_SPREAD = 2.5;

/**
 * The pair's statistics from per-image times of each round (same length, round i timed back to
 * back). A busy machine only ever adds time, so each model's quiet runs (low percentiles) are
 * what it costs; its quieter half (10th–50th percentile) gives the interval, and a wide 10th–30th band says the
 * machine was too busy to tell.
 */
export function latencyPairStats(teacherMs: number[], studentMs: number[], backend: BackendId, block: [number, number]): LatencyPair {
  if (teacherMs.length !== studentMs.length || teacherMs.length === 0) throw new Error('latencyPairStats: one teacher and one student time per round');
  const [t10, t20, t30, t50] = [10, 20, 30, 50].map((p) => percentile(teacherMs, p));
  const [s10, s20, s30, s50] = [10, 20, 30, 50].map((p) => percentile(studentMs, p));
  const ratio = t20 / s20;
  const low = t10 / s50;
  const high = t50 / s10;
  return {
    backend,
    teacher: { medianMs: percentile(teacherMs, 50), p95Ms: percentile(teacherMs, 95) },
    student: { medianMs: percentile(studentMs, 50), p95Ms: percentile(studentMs, 95) },
    teacherQuietMs: t20, studentQuietMs: s20, ratio, low, high, rounds: teacherMs.length, block,
    busy: !Number.isFinite(ratio) || !(t30 / t10 <= BUSY_BAND) || !(s30 / s10 <= BUSY_BAND) || !(high / low <= BUSY_SPREAD),
  };
}

const times = (r: number): string => (r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`);

/** "7.8× faster here (6.9–8.8×)", "3.1× slower here (…)", or null when the machine was too busy. */
export function speedPhrase(p: LatencyPair): string | null {
  if (p.busy) return null;
  return p.ratio >= 1
    ? `${times(p.ratio)} faster here (${times(p.low).slice(0, -1)}–${times(p.high)})`
    : `${times(1 / p.ratio)} slower here (${times(1 / p.high).slice(0, -1)}–${times(1 / p.low)})`;
}
