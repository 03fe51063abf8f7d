/**
 * k selector and threshold (mean or fixed value in [1/S, 1/k]); both recompute the kept keys
 * live from stored attention. Announces "N of T keys kept".
 */
import type { ChangeEvent } from 'react';
import type { KeySelection, ThresholdRule } from '../../domain';
import { thresholdRange } from '../../viz/selection';
import { useExplorerStore } from './explorerStore';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { markInput } from './repaintProbe';

export interface SelectionControlsProps {
  T: number;
  S: number;
  k: number;
  /** The k and threshold the run trained with. */
  runK: number;
  threshold: ThresholdRule;
  sel: KeySelection;
}

export function SelectionControls({ T, S, k, runK, threshold, sel }: SelectionControlsProps) {
  const { setK, setThreshold } = useExplorerStore.getState();
  const [lo, hi] = thresholdRange(S, k);
  const fixed = threshold !== 'mean';
  const onK = (e: ChangeEvent<HTMLSelectElement>) => { markInput(e.timeStamp); setK(Number(e.target.value)); };
  const onSlide = (e: ChangeEvent<HTMLInputElement>) => { markInput(e.timeStamp); setThreshold(Number(e.target.value)); };
  const onMode = (mode: 'mean' | 'fixed') => { markInput(); setThreshold(mode === 'mean' ? 'mean' : sel.tau); };
  const ks = Array.from({ length: Math.max(1, S - 1) }, (_, i) => i + 1);
  return (
    <div className="ex-controls">
      <div className="ex-controls-row">
        <label className="ex-inline">k (top values averaged into each key’s influence)
          <select value={k} onChange={onK}>
            {ks.map((v) => <option key={v} value={v}>{v}{v === runK ? ' (the run’s k)' : ''}</option>)}
          </select>
        </label>
        <fieldset className="ex-inline">
          <legend>Threshold</legend>
          <label className="ex-radio"><input type="radio" name="ex-threshold" checked={!fixed} onChange={() => onMode('mean')} />
            Mean influence (default)</label>
          <label className="ex-radio"><input type="radio" name="ex-threshold" checked={fixed} onChange={() => onMode('fixed')} />
            Fixed value</label>
          <label className="ex-inline">Threshold value τ
            <input type="range" min={lo} max={hi} step={(hi - lo) / 200 || 0.001} value={sel.tau} onChange={onSlide}
              aria-valuetext={`τ = ${sel.tau.toFixed(3)}`} />
          </label>
          <output>τ = {sel.tau.toFixed(3)} {fixed ? '(fixed)' : '(mean influence)'}</output>
        </fieldset>
        <HelpToggle topic="k and threshold controls" help={HELP.controls} />
      </div>
      <p role="status" className="ex-count" data-kept-count={sel.keptCount}>{sel.keptCount} of {T} keys kept</p>
      <p className="hint">Range of a fixed threshold: {lo.toFixed(3)} (= 1/S, S = {S} student taps) to {hi.toFixed(3)} (= 1/k).
        Recomputed from the stored attention: no retraining.</p>
    </div>
  );
}
