/** Influence bars per teacher key with the threshold line. */
import type { ShownSelection } from '../../domain';
import { InfluenceBars } from '../../viz/InfluenceBars';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export function InfluencePanel({ sel, teacherTaps, k }: { sel: ShownSelection; teacherTaps: string[]; k: number }) {
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Influence of each teacher key (k = {k})</h3>
        <HelpToggle topic="influence bars" help={HELP.bars} />
      </div>
      <InfluenceBars influence={sel.influence} tau={sel.tau} kept={sel.kept} teacherTaps={teacherTaps} minDomainMax={sel.rule === 'afd' ? 1 / k : undefined}
        spread={sel.spread} decisions={sel.decisions} digits={sel.digits} label="Influence per teacher key" />
      <p className="hint">Solid bar = kept key (distilled); hatched bar = dropped key; the thin line = the influence ± its spread over groups of
        evaluation images; “undecided” = the spread reaches the threshold. The dashed line is the threshold τ.</p>
    </div>
  );
}
