/** A horizontal gradient legend for a [0, 1] colour scale. */
import { memo, useId } from 'react';
import { legendStops } from './scales';

export interface ColourLegendProps {
  scale: (v: number) => string;
  title: string;
  low: string;
  high: string;
  width?: number;
}

export const ColourLegend = memo(function ColourLegend({ scale, title, low, high, width = 220 }: ColourLegendProps) {
  const id = `grad-${useId().replace(/:/g, '')}`;
  return (
    <svg width={width} height={44} role="img" aria-label={`Colour legend: ${title}, from ${low} to ${high}`} className="viz-legend">
      <defs>
        <linearGradient id={id} x1="0" x2="1" y1="0" y2="0">
          {legendStops(scale).map((s) => <stop key={s.offset} offset={s.offset} stopColor={s.colour} />)}
        </linearGradient>
      </defs>
      <text x={0} y={11} className="viz-tick">{title}</text>
      <rect x={0} y={16} width={width} height={12} fill={`url(#${id})`} stroke="#888" />
      <text x={0} y={41} className="viz-tick">{low}</text>
      <text x={width} y={41} textAnchor="end" className="viz-tick">{high}</text>
    </svg>
  );
});
