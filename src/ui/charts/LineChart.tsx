import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';

export interface Series {
  id: string;
  label: string;
  colour: string;
  dash: string;
  points: { x: number; y: number }[];
  /** Draw a marker at each point (few points, e.g. one per epoch). */
  markers?: boolean;
}

interface LineChartProps {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  yDomain?: [number, number];
  formatY?: (v: number) => string;
  width?: number;
  height?: number;
}

const M = { top: 10, right: 12, bottom: 34, left: 52 };

/** A small SVG line chart: d3 computes scales and paths, React renders. */
export function LineChart({ title, series, xLabel, yLabel, yDomain, formatY = (v) => v.toFixed(2), width = 480, height = 220 }: LineChartProps) {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.y));
  const xMax = Math.max(1e-9, ...all.map((p) => p.x));
  const ys = all.map((p) => p.y);
  const [y0, y1] = yDomain ?? [Math.min(0, ...ys), Math.max(1e-9, ...ys)];
  const x = scaleLinear().domain([0, xMax]).range([M.left, width - M.right]);
  const y = scaleLinear().domain([y0, y1]).nice().range([height - M.bottom, M.top]);
  const path = line<{ x: number; y: number }>().defined((p) => Number.isFinite(p.y)).x((p) => x(p.x)).y((p) => y(p.y));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${series.map((s) => s.label).join(', ') || 'no data yet'}`}>
        {y.ticks(5).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={width - M.right} y1={y(t)} y2={y(t)} className="grid-line" />
            <text x={M.left - 6} y={y(t)} dy="0.32em" textAnchor="end" className="tick">{formatY(t)}</text>
          </g>
        ))}
        {x.ticks(6).map((t) => (
          <text key={t} x={x(t)} y={height - M.bottom + 14} textAnchor="middle" className="tick">{t}</text>
        ))}
        <text x={(M.left + width - M.right) / 2} y={height - 4} textAnchor="middle" className="axis-label">{xLabel}</text>
        <text transform={`translate(12 ${(M.top + height - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">{yLabel}</text>
        {series.map((s) => (
          <g key={s.id}>
            <path d={path(s.points) ?? ''} fill="none" style={{ stroke: s.colour }} strokeWidth={2} strokeDasharray={s.dash || undefined} />
            {s.markers ? s.points.map((p, i) => <circle key={i} cx={x(p.x)} cy={y(p.y)} r={3} style={{ fill: s.colour }} />) : null}
          </g>
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {series.map((s) => (
            <li key={s.id}>
              <svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" style={{ stroke: s.colour }} strokeWidth={2} strokeDasharray={s.dash || undefined} /></svg>
              {s.label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
