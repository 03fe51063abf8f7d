import type { BuiltInDatasetId, DatasetId } from '../domain';
import { ARCHS, datasetInfo, isImportedId, STRONG_TEACHER } from '../domain';
import { selectActiveRun, selectDataset } from '../state/selectors';
import { useStudio } from './context';
import { CostFigures } from './CostFigures';
import { pct } from './format';
import { Step } from './Step';
import { TeacherTrainer } from './import/TeacherTrainer';
import { useTeacherCard } from './teacherCard';
import { useCosts } from './useCosts';
import { OwnTeacher } from './teacher/OwnTeacher';
import { selectImportedChoice } from '../state/ownTeacher';

/** Step 2: the shipped teacher, the baseline every student is compared with. */
export function TeacherStep() {
  const dataset = useStudio(selectDataset);
  const training = useStudio(selectActiveRun) !== null;
  const card = useTeacherCard(dataset);
  const own = useStudio(selectImportedChoice) !== null;
  const spec = card?.status === 'ok' ? card.card.spec : null;
  // Latency is measured while nothing trains, so training does not distort it.
  const { entry, error, measure } = useCosts(spec, dataset, { latency: true, enabled: !training });
  return (
    <Step n={2} id="step-teacher" title="Teacher (the baseline)" needs="the dataset" produces="the accuracy, size and speed to beat"
      help={<p>The teacher is the large, accurate model shipped with the studio, or the model you run today (import it below). Its card says how it was trained and how accurate it is on the test images. Latency is the time to classify one image on this device (median and 95th percentile after a warm-up).</p>}>
      {!card || card.status === 'loading' ? <p role="status">Loading the teacher’s card…</p> : null}
      {card?.status === 'missing' && !own ? <p className="error-text" role="status" data-testid="teacher-missing">{card.message}</p> : null}
      {card?.status === 'missing' && own ? <p className="hint" data-testid="teacher-own-chosen">No shipped teacher for this dataset: the pilot distils from your own teacher, below.</p> : null}
      {isImportedId(dataset) ? <TeacherTrainer dataset={dataset} /> : null}
      {card?.status === 'ok' ? (
        <div data-testid="teacher-card">
          <p>
            <strong>{ARCHS[card.card.spec.arch]?.label ?? card.card.spec.arch}</strong> (width {card.card.spec.width}, depth {card.card.spec.depth}) on {datasetInfo(dataset).label}:
            test accuracy <strong data-testid="teacher-accuracy">{pct(card.card.testAccuracy)}</strong>.
          </p>
          <WeakTeacher dataset={dataset} accuracy={card.card.testAccuracy} />
          <CostFigures costs={card.card.costs} latency={entry?.latency} label="teacher" />
          {!entry && !error ? <p className="hint" role="status">{training ? 'Latency is measured once training stops.' : 'Measuring latency on this device…'}</p> : null}
          {error ? <p className="error-text" role="status">Latency could not be measured: {error}</p> : null}
          <button type="button" className="control" onClick={measure} disabled={training}>Measure latency again</button>
          <details>
            <summary>Recipe and where it was trained</summary>
            <pre className="small">{JSON.stringify({ recipe: card.card.recipe, trainedOn: card.card.trainedOn }, null, 2)}</pre>
          </details>
        </div>
      ) : null}
      <OwnTeacher />
    </Step>
  );
}

/** A plain warning when the teacher is below what a teacher worth distilling reaches on this dataset. */
function WeakTeacher({ dataset, accuracy }: { dataset: DatasetId; accuracy: number }) {
  const bar = isImportedId(dataset) ? undefined : STRONG_TEACHER[dataset as BuiltInDatasetId];
  if (!bar || accuracy >= bar.accuracy) return null;
  return (
    <p className="notice" role="note" data-testid="weak-teacher">This teacher is weak for {datasetInfo(dataset).label}: {pct(accuracy)} on its test images, where {bar.reference} reaches
      about {pct(bar.accuracy)}. A student can learn at most what its teacher knows, so the pilot shows how the method behaves and what is kept,
      not a student worth deploying.</p>
  );
}
