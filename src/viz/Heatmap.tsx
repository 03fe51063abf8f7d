/**
 * Attention heatmap: React renders the SVG, heatmapLayout (D3 band scales) computes it. Rows are
 * teacher keys, columns student taps; kept keys get a thick outline and a "kept" tag on their
 * row label, so the marking does not rely on colour. Cells are focusable and show their value.
 */
import { useMemo, useState } from 'react';
import { heatmapLayout } from './heatmap';
import './viz.css';

export interface HeatmapProps {
  attention: ArrayLike<number>;
  T: number;
  S: number;
  teacherTaps: string[];
  studentTaps: string[];
  /** 1 = kept key, 0 = dropped, [T]. */
  kept: ArrayLike<number>;
  label: string;
}

const fmt = (v: number) => v.toFixed(3);

export function Heatmap({ attention, T, S, teacherTaps, studentTaps, kept, label }: HeatmapProps) {
  const [focus, setFocus] = useState<{ n: number; m: number } | null>(null);
  const g = useMemo(() => heatmapLayout(attention, T, S), [attention, T, S]);
  const describe = (n: number, m: number) =>
    `Teacher key ${teacherTaps[n]} → student tap ${studentTaps[m]}: attention ${fmt(attention[n * S + m])}`;
  const readout = focus && focus.n < T && focus.m < S
    ? `${describe(focus.n, focus.m)} (${Math.round(attention[focus.n * S + focus.m] * 100)}% of this key's attention)`
    : 'Hover or focus (Tab) a cell to read its value.';
  return (
    <figure className="viz-figure">
      <svg width={g.width} height={g.height} role="group" aria-label={label} className="viz-heatmap">
        {g.colX.map((x, m) => (
          <text key={`c${m}`} x={x} y={g.top - 8} transform={`rotate(-40 ${x} ${g.top - 8})`} className="viz-axis-label">{studentTaps[m]}</text>
        ))}
        {g.rowY.map((y, n) => {
          const isKept = kept[n] === 1;
          return (
            <g key={`r${n}`} data-kept={isKept ? 'true' : 'false'} aria-label={`${teacherTaps[n]}: ${isKept ? 'kept' : 'dropped'}`}>
              <text x={g.left - (isKept ? 44 : 8)} y={y} dy="0.35em" textAnchor="end"
                className={isKept ? 'viz-axis-label viz-kept-label' : 'viz-axis-label viz-dropped-label'}>{teacherTaps[n]}</text>
              {isKept ? (
                <g>
                  <rect x={g.left - 40} y={y - 9} width={34} height={18} rx={3} className="viz-kept-tag" />
                  <text x={g.left - 23} y={y} dy="0.35em" textAnchor="middle" className="viz-kept-tag-text">kept</text>
                </g>
              ) : null}
            </g>
          );
        })}
        {g.cells.map((c) => (
          <g key={`${c.n}-${c.m}`} tabIndex={0} role="img" aria-label={describe(c.n, c.m)} data-value={c.value}
            onMouseEnter={() => setFocus({ n: c.n, m: c.m })} onFocus={() => setFocus({ n: c.n, m: c.m })}
            onMouseLeave={() => setFocus(null)} onBlur={() => setFocus(null)} className="viz-cell">
            <rect x={c.x} y={c.y} width={c.size} height={c.size} fill={c.fill} />
            <text x={c.x + c.size / 2} y={c.y + c.size / 2} dy="0.35em" textAnchor="middle" fill={c.text} fontSize={11}>
              {c.value.toFixed(2)}
            </text>
          </g>
        ))}
        {g.rowY.map((y, n) => (kept[n] === 1 ? (
          <rect key={`k${n}`} x={g.left - 2} y={y - g.cell / 2 + 0.5} width={S * g.cell - 0.5} height={g.cell - 1}
            className="viz-kept-outline" pointerEvents="none" />
        ) : null))}
      </svg>
      <figcaption aria-live="polite" className="viz-readout">{readout}</figcaption>
    </figure>
  );
}
