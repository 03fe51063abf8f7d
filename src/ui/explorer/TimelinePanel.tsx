/**
 * Selection over time: which keys were kept at each evaluation of the run (with the current
 * rule, k and threshold, recomputed from each evaluation's stored statistics), and a scrubber that shows
 * any evaluation in the whole explorer (network view, heatmap, bars).
 */
import { memo, useMemo, type ChangeEvent } from 'react';
import type { EvalReport, ImportanceRule, ThresholdRule } from '../../domain';
import { ruleMatrix, selectKeys } from '../../domain';
import { SelectionTimeline } from '../../viz/SelectionTimeline';
import { useExplorerStore } from './explorerStore';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export interface TimelinePanelProps {
  keyEvals: EvalReport[];
  shown: number;
  k: number;
  threshold: ThresholdRule;
  /** The importance rule shown; an evaluation that did not record it falls back to 'afd'. */
  rule: ImportanceRule;
  teacherTaps: string[];
}

const where = (e: EvalReport | undefined) => (e ? `epoch ${e.epoch + 1}, ${e.split === 'test' ? 'test' : 'validation'} images` : '');

export const TimelinePanel = memo(function TimelinePanel({ keyEvals, shown, k, threshold, rule, teacherTaps }: TimelinePanelProps) {
  const setEvalIndex = useExplorerStore.getState().setEvalIndex;
  const kept = useMemo(() => keyEvals.map((e) => {
    const s = e.keys!;
    return selectKeys(ruleMatrix(s, rule) ?? s.attention, s.T, s.S, k, threshold).kept;
  }), [keyEvals, k, threshold, rule]);
  const E = keyEvals.length;
  const pick = (e: number) => setEvalIndex(e >= E - 1 ? null : e);
  const onSlide = (ev: ChangeEvent<HTMLInputElement>) => pick(Number(ev.target.value) - 1);
  const keptNow = kept[shown] ? kept[shown].reduce((a, b) => a + b, 0) : 0;
  return (
    <div className="ex-chart tl-panel">
      <div className="ex-chart-head">
        <h3>Selection over time</h3>
        <HelpToggle topic="selection timeline" help={HELP.timeline} />
      </div>
      <div className="tl-scroll">
        <SelectionTimeline kept={kept} teacherTaps={teacherTaps} current={shown} onPick={pick}
          label={`Kept keys at each of ${E} evaluations (columns) for each teacher key (rows)`} />
      </div>
      <div className="tl-controls">
        <label className="ex-inline">Evaluation shown
          <input type="range" min={1} max={Math.max(1, E)} step={1} value={shown + 1} onChange={onSlide} disabled={E < 2}
            aria-valuetext={`evaluation ${shown + 1} of ${E}, ${where(keyEvals[shown])}`} />
        </label>
        {/* Not a status region: the explorer's one status is its "N of T keys kept". */}
        <p className="tl-shown" data-testid="timeline-shown" data-shown={shown + 1}>
          Evaluation {shown + 1} of {E} ({where(keyEvals[shown])}): {keptNow} of {teacherTaps.length} kept
        </p>
        {shown < E - 1 ? <button type="button" onClick={() => setEvalIndex(null)}>Follow the latest</button> : null}
      </div>
    </div>
  );
});
