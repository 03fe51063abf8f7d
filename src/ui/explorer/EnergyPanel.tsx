/**
 * Spatial energy maps of the kept teacher keys next to every student tap, over a few test
 * images of a finished run (asked from the worker once per run).
 */
import { memo, startTransition, useEffect, useMemo, useState } from 'react';
import type { EnergyMaps } from '../../domain';
import { ColourLegend } from '../../viz/ColourLegend';
import { RasterImage } from '../../viz/RasterImage';
import { energyColour } from '../../viz/scales';
import { useHandles } from '../context';
import { ENERGY_SAMPLES, energyMapsOf, imageOf, rgbaOf } from './energyCache';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { TapName } from './TapName';

const SAMPLES = ENERGY_SAMPLES;
const SIZE = 72;

interface Tile { label: string; rgba: Uint8ClampedArray; w: number; h: number }

export const EnergyPanel = memo(function EnergyPanel({ runId, teacherTaps, kept }: { runId: string; teacherTaps: string[]; kept: number[] }) {
  const { client } = useHandles();
  const [state, setState] = useState<{ runId: string; maps: EnergyMaps | null; error: string | null } | null>(null);
  useEffect(() => {
    let live = true;
    const p = energyMapsOf(client, runId);
    // A transition: building the tiles is split into short slices instead of one long task.
    p.then((maps) => { if (live) startTransition(() => setState({ runId, maps, error: null })); },
      (err: unknown) => { if (live) setState({ runId, maps: null, error: err instanceof Error ? err.message : String(err) }); });
    return () => { live = false; };
  }, [client, runId]);
  const maps = state?.runId === runId ? state.maps : null;
  const rows = useMemo(() => {
    if (!maps) return [];
    const keptTaps = teacherTaps.filter((_, n) => kept[n] === 1);
    return maps.labels.map((label, i) => {
      const tiles: Tile[] = [{ label: `test image (label ${label})`, rgba: imageOf(maps, i), w: maps.shape[1], h: maps.shape[0] }];
      for (const tap of keptTaps) {
        const j = maps.teacherTaps.indexOf(tap);
        if (j >= 0) { const m = maps.teacher[i][j]; tiles.push({ label: `teacher ${tap} (kept)`, rgba: rgbaOf(m), w: m.w, h: m.h }); }
      }
      maps.studentTaps.forEach((tap, j) => {
        const m = maps.student[i][j];
        tiles.push({ label: `student ${tap}`, rgba: rgbaOf(m), w: m.w, h: m.h });
      });
      return tiles;
    });
  }, [maps, teacherTaps, kept]);
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Where the kept teacher keys and the student taps respond</h3>
        <HelpToggle topic="energy maps" help={HELP.energy} />
      </div>
      {state?.runId === runId && state.error ? <p role="alert">Energy maps are not available: {state.error}</p> : null}
      {!maps && !(state?.runId === runId && state.error) ? <p className="hint">Computing energy maps of {SAMPLES} test images…</p> : null}
      {rows.map((tiles, i) => (
        <div key={i} className="ex-energy-row" role="group" aria-label={`Energy maps of test image ${i + 1}`}>
          {tiles.map((t) => (
            <figure key={t.label} className="ex-energy-tile">
              <RasterImage rgba={t.rgba} w={t.w} h={t.h} size={SIZE} label={`${t.label}, ${t.h}×${t.w}`} />
              <figcaption><TapName name={t.label} /></figcaption>
            </figure>
          ))}
        </div>
      ))}
      {maps ? <ColourLegend scale={energyColour} title="Energy (share of the map’s peak)" low="none" high="peak" /> : null}
    </div>
  );
});
