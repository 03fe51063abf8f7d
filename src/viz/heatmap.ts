/**
 * Geometry of the attention heatmap: teacher keys are rows (T), student taps are columns (S).
 * attention is [T,S] row-major, as KeyStats stores it.
 */
import { scaleBand } from 'd3-scale';
import { attentionColour, textOn } from './scales';

export interface HeatmapCell {
  n: number;
  m: number;
  x: number;
  y: number;
  size: number;
  value: number;
  fill: string;
  text: '#000' | '#fff';
}

export interface HeatmapLayout {
  width: number;
  height: number;
  /** Left edge of the cell grid (after the row labels) and top edge (after the column labels). */
  left: number;
  top: number;
  cell: number;
  /** Centre y of each row, centre x of each column. */
  rowY: number[];
  colX: number[];
  cells: HeatmapCell[];
}

export interface HeatmapOptions {
  cell?: number;
  /** Space for the row labels (teacher taps) and the column labels (student taps). */
  labelWidth?: number;
  labelHeight?: number;
}

export function heatmapLayout(attention: ArrayLike<number>, T: number, S: number, opts: HeatmapOptions = {}): HeatmapLayout {
  if (attention.length !== T * S) throw new Error(`attention has ${attention.length} values, expected T×S = ${T}×${S}`);
  const cell = opts.cell ?? 48;
  const left = opts.labelWidth ?? 150;
  const top = opts.labelHeight ?? 84;
  const x = scaleBand<number>().domain(Array.from({ length: S }, (_, i) => i)).range([left, left + S * cell]).paddingInner(0.06);
  const y = scaleBand<number>().domain(Array.from({ length: T }, (_, i) => i)).range([top, top + T * cell]).paddingInner(0.06);
  const size = x.bandwidth();
  const cells: HeatmapCell[] = [];
  for (let n = 0; n < T; n++) {
    for (let m = 0; m < S; m++) {
      const value = attention[n * S + m];
      const fill = attentionColour(value);
      cells.push({ n, m, x: x(m)!, y: y(n)!, size, value, fill, text: textOn(fill) });
    }
  }
  return {
    width: left + S * cell + 80, // room for the last rotated column label
    height: top + T * cell + 4,
    left,
    top,
    cell,
    rowY: Array.from({ length: T }, (_, n) => y(n)! + size / 2),
    colX: Array.from({ length: S }, (_, m) => x(m)! + size / 2),
    cells,
  };
}
