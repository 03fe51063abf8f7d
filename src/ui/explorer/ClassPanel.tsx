/**
 * Selection per class (class × teacher key) with the current rule, k and threshold: the bias
 * check. A class is flagged only when its kept keys differ sharply from the overall ones and
 * random image sets of its size rarely differ that much (`biasCheck`, src/domain/keyEvidence.ts);
 * each row says how many images it rests on.
 */
import { memo, useMemo } from 'react';
import type { ClassCheck, ImportanceRule, KeyStats, ThresholdRule } from '../../domain';
import { BIAS_ALPHA, biasCheck, MIN_CLASS_IMAGES, nullInfluences, OUTLIER_FACTOR, SHARP_DIVERGENCE } from '../../domain';
import { HELP } from './help';
import { HelpToggle } from './HelpToggle';
import { TapName } from './TapName';

export interface ClassPanelProps {
  keys: KeyStats;
  rule: ImportanceRule;
  k: number;
  threshold: ThresholdRule;
  kept: number[];
  classNames: string[];
}

const VERDICT_TEXT: Record<ClassCheck['verdict'], string> = {
  'no-images': 'no images',
  'too-few': 'too few images to tell',
  same: 'same keys',
  'within-chance': 'differs, within chance',
  'like-other-classes': 'differs, as classes do',
  flagged: 'outlier: differs beyond chance and far more than other classes',
  untested: 'differs (tested on the final evaluation)',
};

function summary(rows: ClassCheck[], name: (c: number) => string, tested: boolean): { cls: string; text: string } {
  const flagged = rows.filter((r) => r.verdict === 'flagged');
  const few = rows.filter((r) => r.verdict === 'too-few');
  if (flagged.length) {
    return { cls: 'ex-warning', text: `⚠ ${flagged.map((r) => name(r.cls)).join(', ')}: ${flagged.length === 1 ? 'this class keeps' : 'these classes keep'} ` +
      'sharply different teacher keys: more than random image sets of the same size do, and far more than the other classes. ' +
      'Check their images (a shortcut such as a watermark or a background, mislabelled, or unlike the rest).' };
  }
  const tail = few.length ? ` Not enough images to tell for ${few.map((r) => name(r.cls)).join(', ')} (fewer than ${MIN_CLASS_IMAGES}).` : '';
  if (!tested) return { cls: 'ex-ok', text: `The resampling test runs on the final test evaluation; this evaluation shows each class's kept keys only.${tail}` };
  const usual = rows.filter((r) => r.verdict === 'like-other-classes').length;
  return { cls: 'ex-ok', text: `✓ No class stands out: ${usual ? `${usual} ${usual === 1 ? 'class keeps' : 'classes keep'} somewhat different keys, as classes do, and ` : ''}` +
    `no class keeps keys that differ by more than chance and the other classes explain.${tail}` };
}

export const ClassPanel = memo(function ClassPanel({ keys, rule, k, threshold, kept, classNames }: ClassPanelProps) {
  const { T, S } = keys;
  const perClass = rule === 'keys' ? keys.competitionPerClass : keys.attentionPerClass;
  const nulls = keys.classNull ? keys.classNull[rule] : undefined;
  const R = keys.classNull?.R ?? 0;
  const C = keys.classCount?.length ?? 0;
  // The null samples' influences depend on k only: a threshold move re-thresholds them, no more.
  const nullInfluence = useMemo(() => (nulls && R ? nullInfluences(nulls, C, R, T, S, k) : undefined), [nulls, C, R, T, S, k]);
  const rows = useMemo(() => (perClass && keys.classCount
    ? biasCheck({ T, S, k, threshold, perClass, classCount: keys.classCount, overallKept: kept, nullInfluence, R })
    : null), [perClass, keys.classCount, nullInfluence, R, T, S, k, threshold, kept]);
  const name = (c: number) => classNames[c] ?? `class ${c}`;
  if (!rows) {
    return (
      <div className="ex-chart">
        <h3>Kept keys per class (bias check)</h3>
        <p className="hint">This evaluation was saved before the studio counted images per class, so the bias check cannot tell noise from a difference. Run the pilot again to get it.</p>
      </div>
    );
  }
  const { cls, text } = summary(rows, name, !!nullInfluence);
  return (
    <div className="ex-chart">
      <div className="ex-chart-head">
        <h3>Kept keys per class (bias check)</h3>
        <HelpToggle topic="per-class selection" help={HELP.classes} />
      </div>
      <p className="hint">A class is flagged only when its kept keys differ sharply from those of all images (Jaccard distance
        ≥ {SHARP_DIVERGENCE}), at most {(BIAS_ALPHA * 100).toFixed(0)} % / {rows.length} of {keys.classNull?.R ?? 'the'} random sets of as many evaluated images
        differ as much, and its influences are at least {OUTLIER_FACTOR}× farther from the overall ones than a typical class’s (every class
        uses a somewhat different mix of features).</p>
      <p className="hint" data-testid="bias-limits">What it can see: with a planted shortcut (a white patch on every training image of one CIFAR-10
        class), images that carry the patch flag that class and only it; on clean test images, where the shortcut is absent, the
        check sees nothing, and the sign is the teacher’s own accuracy on that class (it fell to 0.4 %). Check the per-class accuracy too.</p>
      <p className={cls} data-flagged={rows.filter((r) => r.verdict === 'flagged').length} data-testid="bias-summary">{text}</p>
      <table className="ex-class-table" data-testid="bias-table">
        <thead>
          <tr>
            <th scope="col">Class</th>
            <th scope="col">Images</th>
            {keys.teacherTaps.map((t, n) => <th key={t} scope="col" className="tap-name"><TapName name={t} />{kept[n] === 1 ? ' (kept overall)' : ''}</th>)}
            <th scope="col">Distance</th>
            <th scope="col">Chance of a difference this large</th>
            <th scope="col">Influence distance × a typical class’s</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.cls} className={r.verdict === 'flagged' ? 'ex-flagged' : undefined} data-verdict={r.verdict}>
              <th scope="row">{r.verdict === 'flagged' ? '⚠ ' : ''}{name(r.cls)}</th>
              <td>{r.images}</td>
              {keys.teacherTaps.map((t, n) => {
                const on = r.kept?.[n] === 1;
                return <td key={t} className={on ? 'ex-on' : 'ex-off'} aria-label={on ? 'kept' : 'dropped'}>{r.kept ? (on ? '✓' : '·') : ''}</td>;
              })}
              <td>{r.kept ? r.distance.toFixed(2) : '–'}</td>
              <td>{r.pValue === null ? '–' : r.pValue >= 1 ? '–' : `${(r.pValue * 100).toFixed(1)} %`}</td>
              <td>{r.outlier === null ? '–' : `${r.outlier.toFixed(1)}×`}</td>
              <td>{VERDICT_TEXT[r.verdict]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
