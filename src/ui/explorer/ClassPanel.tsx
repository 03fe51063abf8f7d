/**
 * Selection per class (class × teacher key) with the current k and threshold, and a plain
 * warning when a class keeps sharply different keys than all images together.
 */
import { memo, useMemo } from 'react';
import type { KeyStats, ThresholdRule } from '../../domain';
import { perClassSelection, SHARP_DIVERGENCE } from '../../viz/selection';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';

export interface ClassPanelProps {
  keys: KeyStats;
  k: number;
  threshold: ThresholdRule;
  kept: number[];
  classNames: string[];
}

export const ClassPanel = memo(function ClassPanel({ keys, k, threshold, kept, classNames }: ClassPanelProps) {
  const { T, S } = keys;
  const C = Math.round(keys.attentionPerClass.length / (T * S));
  const rows = useMemo(
    () => perClassSelection(keys.attentionPerClass, C, T, S, k, threshold, kept),
    [keys.attentionPerClass, C, T, S, k, threshold, kept],
  );
  const flagged = rows.filter((r) => r.flagged);
  const name = (c: number) => classNames[c] ?? `class ${c}`;
  // The table only changes when a class's kept keys or distance change, not on every slider step.
  const sig = rows.map((r) => `${r.selection?.kept.join('') ?? '-'}:${r.distance.toFixed(3)}:${r.flagged}`).join('|') + keys.teacherTaps.join() + kept.join('');
  const table = useMemo(() => (
    <table className="ex-class-table">
      <thead>
        <tr>
          <th scope="col">Class</th>
          {keys.teacherTaps.map((t, n) => <th key={t} scope="col">{t}{kept[n] === 1 ? ' (kept overall)' : ''}</th>)}
          <th scope="col">Distance from overall</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.cls} className={r.flagged ? 'ex-flagged' : undefined}>
            <th scope="row">{r.flagged ? '⚠ ' : ''}{name(r.cls)}</th>
            {keys.teacherTaps.map((t, n) => {
              const on = r.selection?.kept[n] === 1;
              return <td key={t} className={on ? 'ex-on' : 'ex-off'} aria-label={on ? 'kept' : 'dropped'}>{r.present ? (on ? '✓' : '·') : ''}</td>;
            })}
            <td>{r.present ? r.distance.toFixed(2) : 'no images'}</td>
          </tr>
        ))}
      </tbody>
    </table>
    // eslint-disable-next-line react-hooks/exhaustive-deps
  ), [sig, classNames]);
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Kept keys per class (bias check)</h3>
        <HelpToggle topic="per-class selection" help={HELP.classes} />
      </div>
      <p className="hint">A class is flagged when its kept keys differ sharply from those of all images: Jaccard distance
        ≥ {SHARP_DIVERGENCE}, that is, the two sets share at most half of the keys kept by either.</p>
      <p className={flagged.length ? 'ex-warning' : 'ex-ok'} data-flagged={flagged.length}>
        {flagged.length
          ? `⚠ ${flagged.length === 1 ? 'Class' : 'Classes'} ${flagged.map((r) => name(r.cls)).join(', ')} ` +
            `${flagged.length === 1 ? 'keeps' : 'keep'} sharply different teacher keys than all images together. ` +
            'Check these classes’ images (too few, mislabelled, or unlike the rest).'
          : '✓ Every class keeps roughly the same teacher keys as all images together.'}
      </p>
      {table}
    </div>
  );
});
