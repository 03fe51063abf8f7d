/**
 * Details of one teacher key in the network view: its influence against τ, where its attention
 * goes, its shape and cost, and (for a finished run) its energy map over a sample image.
 */
import { memo, startTransition, useEffect, useState } from 'react';
import type { EnergyMaps, KeyStats, ShownSelection } from '../../domain';
import { ruleMatrix } from '../../domain';
import { RasterImage } from '../../viz/RasterImage';
import { flopsText } from '../../viz/network';
import { useHandles } from '../context';
import { energyMapsOf, imageOf, rgbaOf } from './energyCache';

export interface KeyDetailsProps {
  keys: KeyStats;
  sel: ShownSelection;
  n: number;
  /** Whether `n` is the key hovered / focused (else the most influential one, shown by default). */
  chosen: boolean;
  runId: string;
  runDone: boolean;
}

function useEnergy(runId: string, enabled: boolean): { maps: EnergyMaps | null; error: string | null } {
  const { client } = useHandles();
  const [got, setGot] = useState<{ runId: string; maps: EnergyMaps | null; error: string | null } | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    energyMapsOf(client, runId).then((m) => { if (live) startTransition(() => setGot({ runId, maps: m, error: null })); },
      (err: unknown) => { if (live) setGot({ runId, maps: null, error: err instanceof Error ? err.message : String(err) }); });
    return () => { live = false; };
  }, [client, runId, enabled]);
  return got?.runId === runId ? got : { maps: null, error: null };
}

export const KeyDetails = memo(function KeyDetails({ keys, sel, n, chosen, runId, runDone }: KeyDetailsProps) {
  const { maps, error } = useEnergy(runId, runDone);
  const name = keys.teacherTaps[n];
  const kept = sel.kept[n] === 1;
  const decision = sel.decisions[n];
  const d = sel.digits;
  const spread = sel.spread[n];
  const m = ruleMatrix(keys, sel.rule) ?? keys.attention;
  const shape = keys.teacherShapes?.[n];
  const j = maps ? maps.teacherTaps.indexOf(name) : -1;
  return (
    <aside className="nv-details" aria-label="Key details" aria-live="polite" data-key={name}>
      <h4>{name} <span className={`pill pill-${decision}`}>{decision}</span></h4>
      <p className="hint">{chosen ? 'The key under the pointer or focus.' : 'The most influential key; hover or focus (Tab) another.'}</p>
      <p>Influence <strong>{sel.influence[n].toFixed(d)}</strong>{spread ? ` ± ${spread.toFixed(d)}` : ''} {kept ? '>' : '≤'} τ {sel.tau.toFixed(d)}
        {decision === 'undecided' ? ': within its spread of τ, so another sample of images could put it on the other side.' : ''}</p>
      <p className="nv-details-meta">{shape ? `${shape[0]}×${shape[1]} positions × ${shape[2]} channels` : 'shape not recorded'}
        {keys.teacherFlops ? ` · ${flopsText(keys.teacherFlops[n])} per image` : ''}</p>
      <table className="nv-details-alpha">
        <caption>{sel.rule === 'keys' ? 'Its share of each student tap’s attention' : 'Its attention over the student taps (α)'}</caption>
        <tbody>{keys.studentTaps.map((s, j) => {
          const a = m[n * keys.S + j];
          return (
            <tr key={s}><th scope="row">{s}</th><td>{a.toFixed(3)}</td>
              <td aria-hidden="true"><span className="nv-alpha-bar" style={{ width: `${Math.round(a * 100)}%` }} /></td></tr>
          );
        })}</tbody>
      </table>
      {runDone ? (
        maps && j >= 0 ? (
          <figure className="nv-energy">
            <RasterImage rgba={imageOf(maps, 0)} w={maps.shape[1]} h={maps.shape[0]} size={64} label={`test image (label ${maps.labels[0]})`} />
            <RasterImage rgba={rgbaOf(maps.teacher[0][j])} w={maps.teacher[0][j].w} h={maps.teacher[0][j].h} size={64}
              label={`energy map of ${name} on that image`} />
            <figcaption>Where {name} responds in a test image (lighter = stronger).</figcaption>
          </figure>
        ) : <p className="hint">{error ? `Its energy map is not available: ${error}` : 'Loading its energy map…'}</p>
      ) : <p className="hint">Its energy map over a sample image appears when the run has finished.</p>}
    </aside>
  );
});
