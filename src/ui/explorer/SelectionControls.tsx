/**
 * Importance rule, k selector and threshold (mean or a fixed value); all recompute the kept keys
 * live from stored statistics. The fixed-threshold track is scaled to the run's influences, each
 * key's influence is a tick on it, and the arrow keys step from one key's boundary to the next.
 * Announces "N of T keys kept".
 */
import type { ChangeEvent, KeyboardEvent } from 'react';
import type { ImportanceRule, ThresholdRule } from '../../domain';
import type { ShownSelection } from '../../domain';
import { nextBoundary, sliderRange } from '../../viz/selection';
import { useExplorerStore } from './explorerStore';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { markInput } from './repaintProbe';

export interface SelectionControlsProps {
  T: number;
  S: number;
  k: number;
  /** The k and importance rule the run trained with. */
  runK: number;
  runRule: ImportanceRule;
  /** Rules this evaluation recorded. */
  rules: ImportanceRule[];
  threshold: ThresholdRule;
  sel: ShownSelection;
  teacherTaps: string[];
}

const RULE_LABEL: Record<ImportanceRule, string> = { keys: 'Keys compete', afd: 'AFD’s own attention' };

export function SelectionControls({ T, S, k, runK, runRule, rules, threshold, sel, teacherTaps }: SelectionControlsProps) {
  const { setK, setThreshold, setImportance } = useExplorerStore.getState();
  const range = sliderRange(sel.influence);
  const [lo, hi] = range;
  const fixed = threshold !== 'mean';
  const d = sel.digits;
  const onK = (e: ChangeEvent<HTMLSelectElement>) => { markInput(e.timeStamp); setK(Number(e.target.value)); };
  const onRule = (e: ChangeEvent<HTMLSelectElement>) => { markInput(e.timeStamp); setImportance(e.target.value as ImportanceRule); };
  const onSlide = (e: ChangeEvent<HTMLInputElement>) => { markInput(e.timeStamp); setThreshold(Number(e.target.value)); };
  // Arrow keys jump to where the next key changes side; Home / End keep the track's ends.
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    const dir = e.key === 'ArrowRight' || e.key === 'ArrowUp' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowDown' ? -1 : 0;
    if (!dir) return;
    e.preventDefault();
    const next = nextBoundary(sel.influence, Math.min(hi, Math.max(lo, sel.tau)), dir, range);
    if (next === null) return;
    markInput(e.timeStamp);
    setThreshold(next);
  };
  const onMode = (mode: 'mean' | 'fixed') => { markInput(); setThreshold(mode === 'mean' ? 'mean' : Math.min(hi, Math.max(lo, sel.tau))); };
  const ks = Array.from({ length: Math.max(1, S - 1) }, (_, i) => i + 1);
  const at = (v: number) => `${(((v - lo) / (hi - lo || 1)) * 100).toFixed(2)}%`;
  const undecided = sel.decisions.filter((x) => x === 'undecided').length;
  return (
    <div className="ex-controls">
      <div className="ex-controls-row">
        <label className="ex-inline">Importance
          <select value={sel.rule} onChange={onRule} data-testid="importance-rule">
            {rules.map((r) => <option key={r} value={r}>{RULE_LABEL[r]}{r === runRule ? ' (the run’s)' : ''}</option>)}
          </select>
        </label>
        <HelpToggle topic="importance rule" help={HELP.importance} />
        <label className="ex-inline" title="The k largest attention values are averaged into each key’s influence">k (top values)
          <select value={k} onChange={onK}>
            {ks.map((v) => <option key={v} value={v}>{v}{v === runK ? ' (the run’s)' : ''}</option>)}
          </select>
        </label>
        <fieldset className="ex-inline ex-threshold">
          <legend>Threshold</legend>
          <label className="ex-radio"><input type="radio" name="ex-threshold" checked={!fixed} onChange={() => onMode('mean')} />
            Mean influence (default)</label>
          <label className="ex-radio"><input type="radio" name="ex-threshold" checked={fixed} onChange={() => onMode('fixed')} />
            Fixed value</label>
          <div className="ex-track">
            <label className="ex-inline">Threshold value τ
              <input type="range" min={lo} max={hi} step={(hi - lo) / 400 || 0.0001} value={Math.min(hi, Math.max(lo, sel.tau))}
                onChange={onSlide} onKeyDown={onKey} data-testid="threshold-slider"
                aria-valuetext={`τ = ${sel.tau.toFixed(d)}, ${sel.keptCount} of ${T} keys kept`} />
            </label>
            <div className="ex-ticks" aria-hidden="true">
              {sel.influence.map((v, n) => (
                <span key={teacherTaps[n]} className={`ex-tick ex-tick-${sel.decisions[n]}`} style={{ left: at(v) }} title={`${teacherTaps[n]}: ${v.toFixed(d)}`} />
              ))}
            </div>
          </div>
          <output>τ = {sel.tau.toFixed(d)} {fixed ? '(fixed)' : '(mean)'}</output>
        </fieldset>
        <HelpToggle topic="k and threshold controls" help={HELP.controls} />
      </div>
      {sel.rule === 'afd' ? (
        <p className="hint ex-caveat" data-testid="afd-caveat">AFD’s own attention: each key’s influence measures how concentrated its own attention is,
          between 1/S = {(1 / S).toFixed(3)} and 1/k = {(1 / k).toFixed(3)}. When every key sends its attention to one student tap, all
          keys tie at 1/k and the selection is rounding noise; “Keys compete” compares the keys with each other.</p>
      ) : null}
      <p role="status" className="ex-count" data-kept-count={sel.keptCount} data-undecided-count={undecided}>
        {sel.keptCount} of {T} keys kept{undecided ? `; ${undecided} of them undecided (within their spread of τ)` : ''}</p>
    </div>
  );
}
