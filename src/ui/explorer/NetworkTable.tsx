/**
 * The network view as text: one row per teacher key (shape, cost, influence, kept or dropped,
 * attention over each student tap) and the student taps. Always in the accessibility tree and
 * in print; on screen it is shown on request.
 */
import { memo, useState } from 'react';
import type { KeyStats, ShownSelection } from '../../domain';
import { ruleMatrix } from '../../domain';
import { flopsText } from '../../viz/network';
import { TapName } from './TapName';

const shape = (s?: [number, number, number]) => (s ? `${s[0]}×${s[1]}×${s[2]}` : '—');

export const NetworkTable = memo(function NetworkTable({ keys, sel }: { keys: KeyStats; sel: ShownSelection }) {
  const [shown, setShown] = useState(false);
  const m = ruleMatrix(keys, sel.rule) ?? keys.attention;
  const d = sel.digits;
  return (
    <div className="nv-table-wrap">
      <button type="button" className="link-button" aria-expanded={shown} onClick={() => setShown(!shown)}>
        {shown ? 'Hide the network as a table' : 'Show the network as a table'}
      </button>
      <div className={shown ? 'nv-table' : 'nv-table sr-only-screen'}>
        <table>
          <caption>Teacher keys: shape, cost, influence against the threshold τ = {sel.tau.toFixed(d)}, and {sel.rule === 'keys' ? 'its share of each student tap’s attention' : 'attention over the student taps'}</caption>
          <thead><tr><th scope="col">Teacher key</th><th scope="col">Shape H×W×C</th><th scope="col">Cost</th><th scope="col">Influence</th>
            <th scope="col">Spread</th><th scope="col">Kept?</th>{keys.studentTaps.map((s) => <th key={s} scope="col" className="tap-name">α → <TapName name={s} /></th>)}</tr></thead>
          <tbody>{keys.teacherTaps.map((t, n) => (
            <tr key={t} data-kept={sel.kept[n] === 1 ? 'true' : 'false'} data-decision={sel.decisions[n]}>
              <th scope="row" className="tap-name"><TapName name={t} /></th><td>{shape(keys.teacherShapes?.[n])}</td><td>{flopsText(keys.teacherFlops?.[n]) || '—'}</td>
              <td>{sel.influence[n].toFixed(d)}</td><td>{sel.spread[n] !== undefined ? `± ${sel.spread[n].toFixed(d)}` : '—'}</td><td>{sel.decisions[n]}</td>
              {keys.studentTaps.map((s, j) => <td key={s}>{m[n * keys.S + j].toFixed(3)}</td>)}
            </tr>
          ))}</tbody>
        </table>
        <table>
          <caption>Student taps</caption>
          <thead><tr><th scope="col">Student tap</th><th scope="col">Shape H×W×C</th><th scope="col">Cost</th></tr></thead>
          <tbody>{keys.studentTaps.map((s, m) => (
            <tr key={s}><th scope="row" className="tap-name"><TapName name={s} /></th><td>{shape(keys.studentShapes?.[m])}</td><td>{flopsText(keys.studentFlops?.[m]) || '—'}</td></tr>
          ))}</tbody>
        </table>
      </div>
    </div>
  );
});
