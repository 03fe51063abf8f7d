/** The attention heatmap with its legend, table alternative and explanation. */
import { memo } from 'react';
import type { ImportanceRule, KeyStats } from '../../domain';
import { ruleMatrix } from '../../domain';
import { ColourLegend } from '../../viz/ColourLegend';
import { Heatmap } from '../../viz/Heatmap';
import { HeatmapTable } from '../../viz/HeatmapTable';
import { attentionColour } from '../../viz/scales';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export const AttentionPanel = memo(function AttentionPanel({ keys, kept, rule }: { keys: KeyStats; kept: number[]; rule: ImportanceRule }) {
  const m = ruleMatrix(keys, rule) ?? keys.attention;
  const competing = rule === 'keys' && m !== keys.attention;
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>{competing ? 'Which teacher keys each student tap picks' : 'Where each teacher key’s attention goes'}</h3>
        <HelpToggle topic="attention heatmap" help={competing ? HELP.heatmapKeys : HELP.heatmap} />
      </div>
      <Heatmap attention={m} T={keys.T} S={keys.S} teacherTaps={keys.teacherTaps} studentTaps={keys.studentTaps}
        kept={kept} label="Attention heatmap: teacher keys (rows) by student taps (columns)" />
      <ColourLegend scale={attentionColour} title={competing ? 'Attention (share of the student tap’s column)' : 'Attention (share of the key’s row)'} low="0" high="1" />
      <HeatmapTable attention={m} S={keys.S} teacherTaps={keys.teacherTaps} studentTaps={keys.studentTaps} kept={kept} />
    </div>
  );
});
