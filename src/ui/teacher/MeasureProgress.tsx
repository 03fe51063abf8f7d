import type { ImportedTeacherInfo, TeacherProgress } from '../../domain';
import { batchForBudget, TEACHER_PASS_BUDGET_BYTES } from '../../domain';
import { useHandles } from '../context';
import { bytes, count, duration } from '../format';
import { cancelOwnMeasure, chooseScoreLimit } from './ownTeacherActions';

const PHASE: Record<TeacherProgress['phase'], string> = {
  detect: 'Detecting the input scaling (3 scalings × up to 256 labelled training images)',
  score: 'Scoring the test images',
  latency: 'Timing one image',
};

/** The measurement under way: phase, images done of total, time left, and Cancel. */
export function MeasureProgress({ progress }: { progress: TeacherProgress | null }) {
  const { store, client } = useHandles();
  const p = progress;
  const left = p && p.done > 0 && p.done < p.total ? (p.seconds / p.done) * (p.total - p.done) * 1000 : null;
  return (
    <div role="status" className="own-row" data-testid="own-teacher-progress">
      <span>{p ? PHASE[p.phase] : 'Starting the measurement'}
        {p ? <>: <strong data-testid="own-teacher-progress-count">{count(p.done)} of {count(p.total)}</strong>{p.phase === 'latency' ? ' runs' : ' images'}</> : '…'}
        {left !== null ? `, about ${duration(left)} left` : ''}</span>
      <progress max={p?.total ?? 1} value={p?.done ?? 0} aria-label="Measurement progress" />
      <button type="button" className="control" data-testid="own-teacher-cancel" onClick={() => cancelOwnMeasure(store, client)}>Cancel</button>
    </div>
  );
}

const LIMITS = [100, 1000, 2000, 5000];

/** Which test images the baseline scores: all of them, or the first 1,000 / 2,000 / 5,000 (stated). */
export function ScoreSubset({ limit, testImages, disabled }: { limit: number; testImages: number | null; disabled: boolean }) {
  const { store } = useHandles();
  const options = LIMITS.filter((n) => testImages === null || n < testImages);
  const of = testImages === null ? '' : ` of ${count(testImages)}`;
  return (
    <label className="field-name">Score on{' '}
      <select className="control" data-testid="own-teacher-limit" value={limit} disabled={disabled} onChange={(e) => chooseScoreLimit(store, Number(e.target.value))}>
        <option value={0}>all{testImages === null ? '' : ` ${count(testImages)}`} test images</option>
        {options.map((n) => <option key={n} value={n}>the first {count(n)}{of} test images</option>)}
      </select>
    </label>
  );
}

/** One line: the memory budget of a teacher pass and the batch it gives this teacher. */
export function BudgetLine({ info }: { info: ImportedTeacherInfo }) {
  if (!info.activationFloats) return null;
  const input = info.inputShape[0] * info.inputShape[1] * info.inputShape[2];
  const batch = batchForBudget(info.activationFloats, input);
  return (
    <p className="hint" data-testid="own-teacher-budget">Memory: a teacher pass stays under {bytes(TEACHER_PASS_BUDGET_BYTES)}: {bytes(info.activationFloats * 4)} of
      activations per image, so {count(batch)} image{batch === 1 ? '' : 's'} per pass (scoring, and the teacher’s forward of each training batch).</p>
  );
}
