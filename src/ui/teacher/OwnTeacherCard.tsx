import { useShallow } from 'zustand/react/shallow';
import { datasetInfo, nOf, PREPROCESS_ORDER, PREPROCESSING, TEACHER_FORMATS, teacherCompat, type PreprocessId } from '../../domain';
import { selectImportedChoice, selectOwnTeacher } from '../../state/ownTeacher';
import { selectBusy, selectDataset } from '../../state/selectors';
import type { Studio } from '../../state/store';
import { CostFigures } from '../CostFigures';
import { useHandles, useStudio } from '../context';
import { count, pct } from '../format';
import { BudgetLine, MeasureProgress, ScoreSubset } from './MeasureProgress';
import { TapList } from './TapList';
import { choosePreprocess, measureOwnTeacher } from './ownTeacherActions';

const selectInputs = (s: Studio) => [selectOwnTeacher(s), selectImportedChoice(s), selectDataset(s), selectBusy(s)] as const;

/** The imported teacher: compatibility with the dataset, input scaling, baseline card and taps. */
export function OwnTeacherCard() {
  const [own, choice, dataset, busy] = useStudio(useShallow(selectInputs));
  const { store, client } = useHandles();
  const info = own.info;
  if (!info) return null;
  const compat = teacherCompat(info, datasetInfo(dataset));
  const selected = choice?.fingerprint === info.fingerprint;
  const measuring = own.status === 'measuring';
  const b = own.baseline && own.baseline.fingerprint === info.fingerprint && own.baseline.dataset === dataset ? own.baseline : null;
  const stale = b && choice && b.preprocess !== choice.preprocess;
  return (
    <div data-testid="own-teacher-card" className="own-teacher">
      <p>
        <strong data-testid="own-teacher-name">{info.name}</strong> · {TEACHER_FORMATS[info.format].label} · runs in {TEACHER_FORMATS[info.format].runtime} ·
        input {info.inputShape.join(' × ')} ({info.layout}) · {info.numClasses} classes · fingerprint <code data-testid="own-teacher-fingerprint">{info.fingerprint}</code>
      </p>
      <p className="hint">Files: {info.files.join(', ')}</p>
      {info.notes.map((n) => <p key={n} className="hint">{n}</p>)}
      {compat.errors.map((e) => <p key={e} className="error-text" role="alert" data-testid="own-teacher-incompatible">{e}</p>)}
      {compat.warnings.map((w) => <p key={w} className="hint" data-testid="own-teacher-warning">{w}</p>)}
      {selected && compat.errors.length === 0 ? (
        <>
          <div className="own-row">
            <label className="field-name" htmlFor="own-preprocess">Input scaling</label>
            <select id="own-preprocess" className="control" value={choice.preprocess} disabled={busy || measuring}
              onChange={(e) => choosePreprocess(store, e.target.value as PreprocessId)}>
              {PREPROCESS_ORDER.map((p) => <option key={p} value={p}>{PREPROCESSING[p].label} ({PREPROCESSING[p].blurb})</option>)}
            </select>
            <button type="button" className="control" disabled={busy || measuring} data-testid="own-teacher-detect"
              onClick={() => void measureOwnTeacher(store, client, true)}>Detect</button>
            <button type="button" className="control" disabled={busy || measuring} data-testid="own-teacher-measure" onClick={() => void measureOwnTeacher(store, client, false)}>Measure on {datasetInfo(dataset).label}</button>
            <ScoreSubset limit={own.limit ?? 0} testImages={b?.testImages ?? null} disabled={busy || measuring} />
          </div>
          <BudgetLine info={info} />
          {own.detected ? (
            <p className="hint" data-testid="own-teacher-detected">Input scaling detected on labelled training images (rounds of 64, up to 256, until one scaling leads by 3 standard errors; best used): {PREPROCESS_ORDER.map((p) => `${PREPROCESSING[p].label} ${pct(own.detected![p])}`).join(' · ')}</p>
          ) : null}
          {measuring ? <MeasureProgress progress={own.progress ?? null} /> : null}
          {own.notice ? <p className="notice" role="status" data-testid="own-teacher-notice">{own.notice}</p> : null}
          {b ? (
            <>
              <p>Test accuracy on {datasetInfo(dataset).label} (<span data-testid="own-teacher-scored">{b.testImages && b.images < b.testImages ? `the first ${count(b.images)} of ${count(b.testImages)} test images` : nOf(b.images, 'image')}</span>, {PREPROCESSING[b.preprocess].label}{b.seconds != null ? `, ${b.seconds.toFixed(1)} s in batches of ${b.batchSize}` : ''}):{' '}
                <strong data-testid="own-teacher-accuracy">{pct(b.accuracy)}</strong>{stale ? <span className="tag">scaling changed: measure again</span> : null}</p>
              <CostFigures costs={info.costs} latency={b.latency} label="imported teacher" />
              <p className="hint" data-testid="own-teacher-runs-on">Runs in {b.runsOn}.</p>
              {info.uncountedOps.length ? <p className="hint">FLOPs estimated: the cost of {info.uncountedOps.join(', ')} is not known and counted as 0.</p> : null}
            </>
          ) : null}
          <TapList taps={info.taps} chosen={choice.taps} defaults={info.defaultTaps} disabled={busy} />
        </>
      ) : null}
    </div>
  );
}
