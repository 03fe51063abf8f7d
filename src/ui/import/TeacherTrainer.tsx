import { useState } from 'react';
import type { ArchId, ImportedDatasetId, ModelSpec } from '../../domain';
import { ARCHS, DEFAULT_TEACHER } from '../../domain';
import { selectBusy, selectRuns } from '../../state/selectors';
import { useHandles, useStudio, useStudioDeferred } from '../context';
import { NumberField, SelectField } from '../fields';
import { pct } from '../format';
import { trainTeacherHere } from './trainTeacher';

const TEACHERS = (Object.keys(ARCHS) as ArchId[]).filter((id) => ARCHS[id].role === 'teacher');

function eta(p: { step: number; totalSteps: number; elapsedMs: number } | null | undefined): string {
  if (!p || p.step < 1) return 'estimating the time left…';
  const left = ((p.totalSteps - p.step) * p.elapsedMs) / p.step / 1000;
  return `step ${p.step} of ${p.totalSteps}, about ${left < 90 ? `${Math.ceil(left)} s` : `${Math.ceil(left / 60)} min`} left`;
}

/** Train a teacher here on imported images: the teacher preset, its size dial, epochs; progress and a time estimate. */
export function TeacherTrainer({ dataset }: { dataset: ImportedDatasetId }) {
  const handles = useHandles();
  const busy = useStudioDeferred(selectBusy);
  const runs = useStudio(selectRuns);
  const [spec, setSpec] = useState<ModelSpec>(DEFAULT_TEACHER);
  const [epochs, setEpochs] = useState(3);
  const [runId, setRunId] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const run = runId ? runs[runId] : null;
  const arch = ARCHS[spec.arch];
  const start = () => {
    setOutcome(null);
    const h = trainTeacherHere(handles, dataset, spec, epochs);
    setRunId(h.runId);
    h.done.then((card) => setOutcome({ ok: true, text: `Teacher saved: test accuracy ${pct(card.testAccuracy)}.` }),
      (e: unknown) => setOutcome({ ok: false, text: e instanceof Error ? e.message : String(e) }));
  };
  return (
    <div className="teacher-trainer" data-testid="teacher-trainer">
      <h3>Train a teacher on these images</h3>
      <fieldset className="control grid" disabled={busy}>
        <SelectField<ArchId> label="Teacher preset" explain={arch.blurb} value={spec.arch}
          options={TEACHERS.map((id) => ({ value: id, label: ARCHS[id].label }))}
          onChange={(v) => setSpec({ arch: v, width: ARCHS[v].defaultWidth, depth: ARCHS[v].defaultDepth })} />
        <NumberField label="Teacher width" integer min={arch.widthRange[0]} max={arch.widthRange[1]} value={spec.width}
          explain="Channels of the first stage (size dial); cost grows with its square." onChange={(v) => setSpec({ ...spec, width: v })} />
        <NumberField label="Teacher depth" integer min={arch.depthRange[0]} max={arch.depthRange[1]} value={spec.depth}
          explain="Blocks per stage; cost grows linearly." onChange={(v) => setSpec({ ...spec, depth: v })} />
        <NumberField label="Teacher epochs" integer min={1} max={200} value={epochs}
          explain="Passes over the training images (Adam 0.003, cosine decay, batch 64)." onChange={setEpochs} />
      </fieldset>
      <button type="button" className="control primary" onClick={start} disabled={busy}>Train the teacher</button>
      {run && (run.state === 'loading' || run.state === 'running' || run.state === 'paused') ? (
        <p role="status" data-testid="teacher-progress">
          <progress max={Math.max(1, run.progress?.totalSteps ?? 1)} value={run.progress?.step ?? 0} /> {run.message}: {eta(run.progress)}
        </p>
      ) : null}
      {outcome ? <p className={outcome.ok ? 'hint' : 'error-text'} role="status" data-testid="teacher-outcome">{outcome.text}</p> : null}
    </div>
  );
}
