/**
 * Geometry of the selection timeline: one column per evaluation of a run, one row per teacher
 * key; a cell is filled when the key was kept at that evaluation. `kept` is [E][T] (0/1).
 */
import { scaleBand } from 'd3-scale';

export interface TimelineCell { e: number; n: number; x: number; y: number; w: number; h: number; kept: boolean }

export interface TimelineLayout {
  width: number;
  height: number;
  left: number;
  top: number;
  cellW: number;
  cellH: number;
  rowY: number[];
  colX: number[];
  cells: TimelineCell[];
  /** Evaluations labelled on the axis (first, last and a few between). */
  ticks: number[];
  /** Keys that changed side from the previous evaluation, per evaluation. */
  changes: number[];
}

export interface TimelineOptions { width?: number; labelWidth?: number; cellH?: number; maxCellW?: number }

export function timelineLayout(kept: ArrayLike<number>[], T: number, opts: TimelineOptions = {}): TimelineLayout {
  const E = kept.length;
  for (const row of kept) if (row.length !== T) throw new Error(`every evaluation needs ${T} kept flags, got ${row.length}`);
  const left = opts.labelWidth ?? 110;
  const cellH = opts.cellH ?? 16;
  const maxCellW = opts.maxCellW ?? 28;
  const avail = (opts.width ?? 880) - left - 8;
  const cellW = Math.max(4, Math.min(maxCellW, E ? avail / E : maxCellW));
  const top = 6;
  const x = scaleBand<number>().domain(Array.from({ length: E }, (_, i) => i)).range([left, left + E * cellW]).paddingInner(E > 60 ? 0 : 0.12);
  const y = scaleBand<number>().domain(Array.from({ length: T }, (_, i) => i)).range([top, top + T * cellH]).paddingInner(0.15);
  const cells: TimelineCell[] = [];
  const changes: number[] = [];
  for (let e = 0; e < E; e++) {
    let changed = 0;
    for (let n = 0; n < T; n++) {
      const on = kept[e][n] === 1;
      if (e > 0 && on !== (kept[e - 1][n] === 1)) changed++;
      cells.push({ e, n, x: x(e)!, y: y(n)!, w: x.bandwidth(), h: y.bandwidth(), kept: on });
    }
    changes.push(changed);
  }
  const step = Math.max(1, Math.ceil(E / 8));
  const ticks: number[] = [];
  for (let e = 0; e < E; e += step) ticks.push(e);
  if (E && ticks[ticks.length - 1] !== E - 1) {
    if (ticks.length > 1 && (E - 1) - ticks[ticks.length - 1] < step / 2) ticks.pop();
    ticks.push(E - 1);
  }
  return {
    width: left + E * cellW + 8, height: top + T * cellH + 22, left, top, cellW, cellH,
    rowY: Array.from({ length: T }, (_, n) => y(n)! + y.bandwidth() / 2),
    colX: Array.from({ length: E }, (_, e) => x(e)! + x.bandwidth() / 2),
    cells, ticks, changes,
  };
}
