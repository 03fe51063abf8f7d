/**
 * Influence per teacher key as horizontal bars with the threshold τ as a dashed line. Kept bars
 * are solid, dropped bars hatched, a whisker shows each influence's spread, and each bar says
 * "kept", "dropped" or "undecided" (within its spread of τ) in words.
 */
import { useId } from 'react';
import { barLayout } from './bars';
import './viz.css';

export interface InfluenceBarsProps {
  influence: ArrayLike<number>;
  tau: number;
  kept: ArrayLike<number>;
  teacherTaps: string[];
  /** Right end of the axis at least this (the slider's top, 1/k), so the axis holds still while sliding. */
  minDomainMax?: number;
  /** Spread of each influence, drawn as a whisker (value ± spread). */
  spread?: ArrayLike<number>;
  /** Kept, dropped or undecided per key (default: from `kept`). */
  decisions?: ArrayLike<'kept' | 'dropped' | 'undecided'>;
  /** Decimals of the values (default 3). */
  digits?: number;
  label: string;
}

export function InfluenceBars({ influence, tau, kept, teacherTaps, minDomainMax, spread, decisions, digits = 3, label }: InfluenceBarsProps) {
  const hatch = `hatch-${useId().replace(/:/g, '')}`;
  const g = barLayout(influence, tau, kept, { minDomainMax, spread });
  const word = (n: number) => decisions?.[n] ?? (kept[n] === 1 ? 'kept' : 'dropped');
  return (
    <svg width={g.width} height={g.height + 18} className="viz-bars" role="list" aria-label={label}>
      <defs>
        <pattern id={hatch} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width={6} height={6} className="viz-hatch-bg" />
          <line x1={0} y1={0} x2={0} y2={6} className="viz-hatch-line" strokeWidth={2} />
        </pattern>
      </defs>
      {g.ticks.map((t) => (
        <g key={t.value} aria-hidden="true">
          <line x1={t.x} x2={t.x} y1={14} y2={g.height} className="viz-grid" />
          <text x={t.x} y={10} textAnchor="middle" className="viz-tick">{t.value.toFixed(2)}</text>
        </g>
      ))}
      {g.bars.map((b) => (
        <g key={b.n} role="listitem" data-kept={b.kept ? 'true' : 'false'} data-decision={word(b.n)}
          aria-label={`${teacherTaps[b.n]}: influence ${b.value.toFixed(digits)}${spread?.[b.n] ? ` ± ${spread[b.n].toFixed(digits)}` : ''}, ${word(b.n)}`}>
          <text x={g.left - 8} y={b.y + b.height / 2} dy="0.35em" textAnchor="end" className="viz-axis-label">{teacherTaps[b.n]}</text>
          <rect x={g.left} y={b.y} width={b.width} height={b.height}
            className={b.kept ? 'viz-bar-kept' : 'viz-bar-dropped'} fill={b.kept ? undefined : `url(#${hatch})`} />
          {b.highX > b.lowX + 0.5 ? (
            <line x1={b.lowX} x2={b.highX} y1={b.y + b.height / 2} y2={b.y + b.height / 2} className="viz-whisker" aria-hidden="true" />
          ) : null}
          {/* In its own column right of the axis: never under the threshold line, never cut off. */}
          <text x={g.valueX} y={b.y + b.height / 2} dy="0.35em" className={word(b.n) === 'undecided' ? 'viz-undecided-label' : b.kept ? 'viz-kept-label' : 'viz-dropped-label'}>
            {b.value.toFixed(digits)} · {word(b.n)}
          </text>
        </g>
      ))}
      <g aria-hidden="true">
        <line x1={g.tauX} x2={g.tauX} y1={14} y2={g.height + 2} className="viz-tau" />
        <text x={g.tauX} y={g.height + 14} textAnchor="middle" className="viz-tau-label">threshold τ = {tau.toFixed(digits)}</text>
      </g>
    </svg>
  );
}
