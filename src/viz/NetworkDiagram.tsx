/**
 * The network view as SVG: React renders, networkLayout (D3 scales and link paths) computes.
 * Kept keys and their links are drawn strong, dropped ones faded and hatched, and every key
 * says "kept" or "dropped" in words, so nothing relies on colour alone. Keys are focusable:
 * hover or focus reports the key to `onFocusKey` (the panel shows its details).
 */
import { memo, useId } from 'react';
import { networkLayout, type NetworkInput } from './network';
import './viz.css';

export interface NetworkDiagramProps extends NetworkInput {
  label: string;
  focus: number | null;
  onFocusKey(n: number | null): void;
  /** Transitions on (a new evaluation); off while the threshold slider moves. */
  animate: boolean;
}

/** A label cut to fit `px` at about 6.6 px per character of 11 px text. */
function fit(text: string, px: number): string {
  const max = Math.max(4, Math.floor(px / 6.6));
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export const NetworkDiagram = memo(function NetworkDiagram(props: NetworkDiagramProps) {
  const { label, focus, onFocusKey, animate } = props;
  const digits = props.digits ?? 3;
  const hatch = `nv-hatch-${useId().replace(/:/g, '')}`;
  const g = networkLayout(props);
  const band = (g.width - g.left - g.right) / Math.max(1, g.keys.length);
  const tapBand = (g.width - g.left - g.right) / Math.max(1, g.taps.length);
  return (
    <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="group" aria-label={label}
      className={animate ? 'nv nv-animate' : 'nv'} data-focus={focus ?? ''}>
      <defs>
        <pattern id={hatch} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width={6} height={6} className="nv-hatch-bg" />
          <line x1={0} y1={0} x2={0} y2={6} className="nv-hatch-line" strokeWidth={2} />
        </pattern>
      </defs>
      <g aria-hidden="true" className="nv-row-labels">
        <text x={8} y={g.barTop + 34}>Influence</text>
        <text x={8} y={g.teacherMid} dy="0.35em" className="nv-teacher-text">Teacher</text>
        <text x={8} y={g.studentMid} dy="0.35em" className="nv-student-text">Student</text>
        <line x1={g.left - 6} x2={g.width - g.right + 6} y1={g.barBase} y2={g.barBase} className="nv-axis" />
        <text x={g.left - 10} y={g.barBase} dy="0.35em" textAnchor="end" className="nv-tick">{g.floor.toFixed(2)}</text>
        <text x={g.left - 10} y={g.barTop} dy="0.35em" textAnchor="end" className="nv-tick">{g.domainMax.toFixed(2)}</text>
      </g>
      <g className="nv-links" aria-hidden="true">
        {g.links.map((l) => (
          <path key={`${l.n}-${l.m}`} d={l.d} data-key={l.n} data-kept={l.kept ? 'true' : 'false'}
            className={`nv-link ${l.kept ? 'nv-link-kept' : 'nv-link-dropped'}${focus !== null && focus !== l.n ? ' nv-dim' : ''}`}
            style={{ strokeWidth: l.width }} />
        ))}
      </g>
      {g.keys.map((k) => (
        <g key={k.n} tabIndex={0} role="img" data-kept={k.kept ? 'true' : 'false'} data-decision={k.decision} data-key={k.name}
          aria-label={`Teacher key ${k.name}: influence ${k.influence.toFixed(digits)}, ${k.decision}; ${k.shapeText}${k.costText ? `; ${k.costText}` : ''}`}
          className={`nv-key ${k.kept ? 'nv-key-kept' : 'nv-key-dropped'}${k.decision === 'undecided' ? ' nv-key-undecided' : ''}${focus === k.n ? ' nv-focus' : ''}`}
          onMouseEnter={() => onFocusKey(k.n)} onFocus={() => onFocusKey(k.n)}>
          <rect x={k.cx - band / 2} y={g.barTop - 4} width={band} height={k.y + k.h - g.barTop + 8} className="nv-hit" />
          <rect x={k.cx - k.barW / 2} y={k.barY} width={k.barW} height={Math.max(0.5, k.barH)}
            className="nv-bar" style={k.kept ? undefined : { fill: `url(#${hatch})` }} />
          <text x={k.cx} y={g.barBase + 14} textAnchor="middle" className="nv-value">
            {k.influence.toFixed(digits)} {k.decision}
          </text>
          <text x={k.cx} y={k.labelY} textAnchor="middle" className="nv-name">{fit(k.name, band)}</text>
          <text x={k.cx} y={k.labelY + 14} textAnchor="middle" className="nv-meta">{k.shapeText}</text>
          {k.costW ? <rect x={k.cx - k.costW / 2} y={k.labelY + 20} width={k.costW} height={4} className="nv-cost" /> : null}
          <rect x={k.x} y={k.y} width={k.w} height={k.h} rx={3} className="nv-box nv-box-teacher"
            style={k.kept ? undefined : { fill: `url(#${hatch})` }} />
        </g>
      ))}
      {g.taps.map((t) => (
        <g key={t.n} role="img" className="nv-tap" data-tap={t.name}
          aria-label={`Student tap ${t.name}: ${t.shapeText}${t.costText ? `; ${t.costText}` : ''}`}>
          <rect x={t.x} y={t.y} width={t.w} height={t.h} rx={3} className="nv-box nv-box-student" />
          <text x={t.cx} y={t.labelY} textAnchor="middle" className="nv-name">{fit(t.name, tapBand)}</text>
          <text x={t.cx} y={t.labelY + 14} textAnchor="middle" className="nv-meta">{t.shapeText}</text>
          {t.costW ? <rect x={t.cx - t.costW / 2} y={t.labelY + 20} width={t.costW} height={4} className="nv-cost" /> : null}
        </g>
      ))}
      <g aria-hidden="true" className="nv-tau-g" style={{ transform: `translateY(${g.tauY}px)` }}>
        <line x1={g.left - 6} x2={g.width - g.right + 6} y1={0} y2={0} className="nv-tau" />
        <text x={g.width - g.right + 10} y={0} dy="0.35em" className="nv-tau-label">τ = {props.tau.toFixed(digits)}</text>
      </g>
    </svg>
  );
});
