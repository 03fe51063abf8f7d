/**
 * How far the kept keys hold across seeds: for the finished seeds of the shown run's experiment,
 * each key's share of seeds that kept it and its influence as mean ± sd over seeds, with the
 * current rule, k and threshold (`keySelectionEvidence`, src/state/keySelection.ts).
 */
import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ImportanceRule, ThresholdRule } from '../../domain';
import { influenceDigits } from '../../domain';
import { keySelectionEvidence } from '../../state/keySelection';
import { selectFinishedRuns } from '../../state/selectors';
import { useStudio } from '../context';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { TapName } from './TapName';

export interface SeedAgreementProps { runId: string; rule: ImportanceRule; k: number; threshold: ThresholdRule }

export const SeedAgreement = memo(function SeedAgreement({ runId, rule, k, threshold }: SeedAgreementProps) {
  const finished = useStudio(useShallow(selectFinishedRuns));
  const ev = useMemo(() => {
    const run = finished.find((r) => r.runId === runId);
    return run ? keySelectionEvidence(run, finished, { importance: rule, k, threshold }) : null;
  }, [finished, runId, rule, k, threshold]);
  if (!ev) return null;
  const n = ev.seeds.length;
  const d = influenceDigits(ev.keys.map((x) => x.influence), ev.keys.map((x) => (x.kept === true ? 1 : 0)));
  const split = ev.keys.filter((x) => x.keptShare > 0 && x.keptShare < 1).map((x) => x.name);
  return (
    <div className="ex-chart ex-seeds" data-testid="seed-agreement" data-seeds={n}>
      <div className="ex-chart-head">
        <h3>Across seeds: {n === 1 ? 'one seed so far' : `${n} seeds (${ev.seeds.join(', ')})`}</h3>
        <HelpToggle topic="seed agreement" help={HELP.seeds} />
      </div>
      <p className="hint">{n === 1
        ? 'Only this seed has finished: “Run 3 seeds” in the pilot card shows whether the same keys are kept when training starts from other random weights.'
        : split.length
          ? `The seeds disagree on ${split.join(', ')}: ${split.length === 1 ? 'that key is' : 'those keys are'} not a finding yet.`
          : 'Every seed keeps the same keys.'}</p>
      <table className="ex-class-table">
        <thead><tr><th scope="col">Teacher key</th><th scope="col">Kept by</th><th scope="col">Influence (mean{n > 1 ? ' ± sd over seeds' : ' ± spread over image groups'})</th><th scope="col">Selection</th></tr></thead>
        <tbody>{ev.keys.map((x) => (
          <tr key={x.name} data-kept-share={x.keptShare}>
            <th scope="row" className="tap-name"><TapName name={x.name} /></th>
            <td>{Math.round(x.keptShare * n)} of {n} {n === 1 ? 'seed' : 'seeds'}</td>
            <td>{x.influence.toFixed(d)} ± {x.influenceSd.toFixed(d)}</td>
            <td>{x.kept === 'undecided' ? 'undecided' : x.kept ? 'kept' : 'dropped'}</td>
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
});
