/** The attention heatmap with its legend, table alternative and explanation. */
import { memo } from 'react';
import type { KeyStats } from '../../domain';
import { ColourLegend } from '../../viz/ColourLegend';
import { Heatmap } from '../../viz/Heatmap';
import { HeatmapTable } from '../../viz/HeatmapTable';
import { attentionColour } from '../../viz/scales';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export const AttentionPanel = memo(function AttentionPanel({ keys, kept }: { keys: KeyStats; kept: number[] }) {
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Where each teacher key’s attention goes</h3>
        <HelpToggle topic="attention heatmap" help={HELP.heatmap} />
      </div>
      <Heatmap attention={keys.attention} T={keys.T} S={keys.S} teacherTaps={keys.teacherTaps} studentTaps={keys.studentTaps}
        kept={kept} label="Attention heatmap: teacher keys (rows) by student taps (columns)" />
      <ColourLegend scale={attentionColour} title="Attention (share of the key’s row)" low="0" high="1" />
      <HeatmapTable attention={keys.attention} S={keys.S} teacherTaps={keys.teacherTaps} studentTaps={keys.studentTaps} kept={kept} />
    </div>
  );
});
