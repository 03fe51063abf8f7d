/**
 * The network view: the teacher's keys and the student's taps as blocks sized by their feature
 * maps, links as wide as the batch-mean attention α, the influence bars with τ, the details of
 * the key under the pointer or focus, and the same content as a table. It draws the selection
 * the explorer computed (`sel`), so the bars, the heatmap and this view keep the same kept keys.
 */
import { memo, useEffect, useRef, useState } from 'react';
import type { KeyStats, ShownSelection } from '../../domain';
import { ruleMatrix } from '../../domain';
import { NetworkDiagram } from '../../viz/NetworkDiagram';
import type { NetTap } from '../../viz/network';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { KeyDetails } from './KeyDetails';
import { NetworkTable } from './NetworkTable';
import { networkProbeEnd, networkProbeStart } from './repaintProbe';

export interface NetworkPanelProps {
  keys: KeyStats;
  sel: ShownSelection;
  k: number;
  runId: string;
  runDone: boolean;
  /** Changes with every new evaluation shown: the view animates to it. */
  evalKey: string;
}

const taps = (names: string[], shapes?: [number, number, number][], flops?: number[]): NetTap[] =>
  names.map((name, i) => ({ name, shape: shapes?.[i], flops: flops?.[i] }));

/** Ends the network view's render-work sample (rendered last in the panel's subtree). */
function ProbeEnd() { networkProbeEnd(); return null; }

export const NetworkPanel = memo(function NetworkPanel({ keys, sel, k, runId, runDone, evalKey }: NetworkPanelProps) {
  networkProbeStart();
  const [focus, setFocus] = useState<number | null>(null);
  // How many evaluations the view has animated to, and whether transitions are on right now.
  const [anim, setAnim] = useState({ count: 0, on: false });
  const first = useRef(evalKey);
  useEffect(() => {
    if (first.current === evalKey) return;
    first.current = evalKey;
    setAnim((a) => ({ count: a.count + 1, on: true }));
    const t = setTimeout(() => setAnim((a) => ({ ...a, on: false })), 900);
    return () => clearTimeout(t);
  }, [evalKey]);
  const shown = focus !== null && focus < keys.T ? focus : sel.influence.indexOf(Math.max(...sel.influence));
  return (
    <div className="ex-chart nv-panel" id="network" data-animations={anim.count}>
      <div className="ex-chart-head">
        <h3>Network view: what the student learns from which teacher block</h3>
        <HelpToggle topic="network view" help={HELP.network} />
      </div>
      <div className="nv-grid" onMouseLeave={() => setFocus(null)} onBlur={() => setFocus(null)}>
        <div className="nv-figure">
          <NetworkDiagram teacher={taps(keys.teacherTaps, keys.teacherShapes, keys.teacherFlops)}
            student={taps(keys.studentTaps, keys.studentShapes, keys.studentFlops)} attention={ruleMatrix(keys, sel.rule) ?? keys.attention}
            influence={sel.influence} tau={sel.tau} kept={sel.kept} decisions={sel.decisions} digits={sel.digits}
            // 'afd' influences lie in [1/S, 1/k]; 'keys' influences in [0, 1], scaled to the run's own.
            minDomainMax={sel.rule === 'afd' ? 1 / k : undefined} floor={sel.rule === 'afd' ? 1 / keys.S : 0} focus={focus} onFocusKey={setFocus}
            animate={anim.on} label="Network view: teacher keys (top) linked to student taps (bottom), link width = attention" />
          <ul className="legend nv-legend" aria-label="Legend">
            <li><span className="sw sw-kept" aria-hidden="true" />kept key and its links</li>
            <li><span className="sw sw-dropped" aria-hidden="true" />dropped key (hatched, faded)</li>
            <li><span className="sw sw-undecided" aria-hidden="true" />undecided key (dashed: its influence is within its spread of τ)</li>
            <li><span className="sw sw-teacher" aria-hidden="true" />teacher block</li>
            <li><span className="sw sw-student" aria-hidden="true" />student block</li>
            <li><span className="sw sw-tau" aria-hidden="true" />threshold τ</li>
            <li>block size = feature map (width: channels, height: positions); thin bar = cost; link width = attention α</li>
          </ul>
        </div>
        {shown >= 0 ? <KeyDetails keys={keys} sel={sel} n={shown} chosen={focus !== null} runId={runId} runDone={runDone} /> : null}
      </div>
      <NetworkTable keys={keys} sel={sel} />
      <ProbeEnd />
    </div>
  );
});
