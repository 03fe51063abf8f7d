/** Influence bars per teacher key with the threshold line. */
import type { KeySelection } from '../../domain';
import { InfluenceBars } from '../../viz/InfluenceBars';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export function InfluencePanel({ sel, teacherTaps, k }: { sel: KeySelection; teacherTaps: string[]; k: number }) {
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Influence of each teacher key (k = {k})</h3>
        <HelpToggle topic="influence bars" help={HELP.bars} />
      </div>
      <InfluenceBars influence={sel.influence} tau={sel.tau} kept={sel.kept} teacherTaps={teacherTaps} minDomainMax={1 / k}
        label="Influence per teacher key" />
      <p className="hint">Solid bar = kept key (distilled); hatched bar = dropped key. The dashed line is the threshold τ.</p>
    </div>
  );
}
