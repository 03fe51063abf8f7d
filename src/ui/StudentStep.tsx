import type { ArchId } from '../domain';
import { ARCHS } from '../domain';
import { selectBusy, selectDataset, selectStudent } from '../state/selectors';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { CostFigures } from './CostFigures';
import { Field } from './fields';
import { useCosts } from './useCosts';

const STUDENTS = (Object.keys(ARCHS) as ArchId[]).filter((id) => ARCHS[id].role === 'student');

/** Student architecture presets and the size dial, with its costs before any training. */
export function StudentPicker() {
  const spec = useStudio(selectStudent);
  const dataset = useStudio(selectDataset);
  const busy = useStudioDeferred(selectBusy);
  const { store } = useHandles();
  const { entry, error } = useCosts(spec, dataset, { latency: false, delayMs: 250 });
  const arch = ARCHS[spec.arch];
  const pick = (id: ArchId) => store.getState().setStudent({ arch: id, width: ARCHS[id].defaultWidth, depth: ARCHS[id].defaultDepth });
  return (
    <div className="student">
      <fieldset className="control" disabled={busy}>
        <legend>Student architecture</legend>
        {STUDENTS.map((id) => (
          <label key={id} className="radio">
            <input type="radio" name="student-arch" value={id} checked={spec.arch === id} onChange={() => pick(id)} />
            <span><strong>{ARCHS[id].label}</strong> — {ARCHS[id].blurb}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="control" disabled={busy}>
        <legend>Size dial</legend>
        <Field label={`Width: ${spec.width} channels`} explain="Channels of the first stage (the next stages have 2× and 4×). Cost grows with its square.">
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="range" min={arch.widthRange[0]} max={arch.widthRange[1]} value={spec.width}
              onChange={(e) => store.getState().setStudent({ width: Number(e.target.value) })} />
          )}
        </Field>
        <Field label={`Depth: ${spec.depth} block${spec.depth > 1 ? 's' : ''} per stage`} explain="Blocks in each of the three stages. Cost grows linearly with it.">
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="range" min={arch.depthRange[0]} max={arch.depthRange[1]} value={spec.depth}
              onChange={(e) => store.getState().setStudent({ depth: Number(e.target.value) })} />
          )}
        </Field>
      </fieldset>
      <div aria-live="polite" data-testid="student-costs">
        <h3>Student costs, before training</h3>
        {entry ? <CostFigures costs={entry.costs} label="student" /> : error ? <p className="error-text">{error}</p> : <p className="hint">Measuring…</p>}
      </div>
    </div>
  );
}
