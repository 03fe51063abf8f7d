/**
 * Selection over time: evaluations (columns) × teacher keys (rows), a filled cell for a kept
 * key, with the evaluation shown outlined. Clicking a column picks that evaluation; the
 * keyboard scrubs with the slider next to it (the panel's), so the SVG itself is not focusable.
 */
import { memo } from 'react';
import { timelineLayout } from './timeline';
import './viz.css';
import { distinctLabels } from './labels';

export interface SelectionTimelineProps {
  kept: ArrayLike<number>[];
  teacherTaps: string[];
  /** Index of the evaluation shown. */
  current: number;
  onPick(e: number): void;
  label: string;
  width?: number;
}

export const SelectionTimeline = memo(function SelectionTimeline({ kept, teacherTaps, current, onPick, label, width }: SelectionTimelineProps) {
  const g = timelineLayout(kept, teacherTaps.length, { width });
  const cx = g.colX[current];
  // Long tap names share their start and end: each row shows what tells it apart (the full name on hover).
  const short = distinctLabels(teacherTaps);
  return (
    <svg width={g.width} height={g.height} className="tl" role="img" aria-label={label}>
      {teacherTaps.map((t, n) => (
        <text key={t} x={g.left - 6} y={g.rowY[n]} dy="0.35em" textAnchor="end" className="tl-label"><title>{t}</title>{short[n]}</text>
      ))}
      {g.cells.map((c) => (
        <rect key={`${c.e}-${c.n}`} x={c.x} y={c.y} width={c.w} height={c.h} className={c.kept ? 'tl-kept' : 'tl-dropped'}
          data-e={c.e} data-kept={c.kept ? 'true' : 'false'} />
      ))}
      {Array.from({ length: kept.length }, (_, e) => (
        <rect key={`hit${e}`} x={g.colX[e] - g.cellW / 2} y={0} width={g.cellW} height={g.height - 18} className="tl-hit"
          onClick={() => onPick(e)} />
      ))}
      {cx !== undefined ? (
        <rect x={cx - g.cellW / 2 - 1} y={g.top - 3} width={g.cellW + 2} height={g.height - g.top - 20} className="tl-cursor" pointerEvents="none" />
      ) : null}
      {g.ticks.map((e) => (
        <text key={`t${e}`} x={g.colX[e]} y={g.height - 4} textAnchor="middle" className="tl-tick">{e + 1}</text>
      ))}
    </svg>
  );
});
