import type { ArchId, StridePlanId } from '../domain';
import { ARCHS, archPreset, datasetInfo, planReason, resolvePlan, stageSides, STRIDE_PLANS } from '../domain';
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
  const shape = datasetInfo(dataset).shape;
  const plan = resolvePlan(spec, shape);
  // An arch's preset follows the image size: photos get the pooled photo preset (stridePlan.ts).
  const pick = (id: ArchId) => store.getState().setStudent({ plan: undefined, ...archPreset(id, shape, spec.plan) });
  const setPlan = (v: StridePlanId | 'auto') => store.getState().setStudent({ plan: v === 'auto' ? undefined : v });
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
        <Field label={`Width: ${spec.width} channels`} explain={`Channels of the first stage (the next stages have ${plan === 'photo' ? '2×, 4× and 8×' : '2× and 4×'}). Cost grows with its square.`}>
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="range" min={arch.widthRange[0]} max={arch.widthRange[1]} value={spec.width}
              onChange={(e) => store.getState().setStudent({ width: Number(e.target.value) })} />
          )}
        </Field>
        <Field label={`Depth: ${spec.depth} block${spec.depth > 1 ? 's' : ''} per stage`} explain={`Blocks in each of the ${STRIDE_PLANS[plan].stageStrides.length} stages. Cost grows linearly with it.`}>
          {({ id, describedBy }) => (
            <input id={id} aria-describedby={describedBy} type="range" min={arch.depthRange[0]} max={arch.depthRange[1]} value={spec.depth}
              onChange={(e) => store.getState().setStudent({ depth: Number(e.target.value) })} />
          )}
        </Field>
      </fieldset>
      <PlanLine plan={plan} reason={planReason(spec, shape)} sides={stageSides(plan, shape[0])} chosen={spec.plan ?? 'auto'} busy={busy} onPlan={setPlan} />
      <div aria-live="polite" data-testid="student-costs">
        <h3>Student costs, before training</h3>
        {entry ? <CostFigures costs={entry.costs} label="student" /> : error ? <p className="error-text">{error}</p> : <p className="hint">Measuring…</p>}
      </div>
    </div>
  );
}

/** Which stride plan the student uses, why, and the override. */
function PlanLine({ plan, reason, sides, chosen, busy, onPlan }: {
  plan: StridePlanId; reason: string; sides: number[]; chosen: StridePlanId | 'auto'; busy: boolean; onPlan: (v: StridePlanId | 'auto') => void;
}) {
  const info = STRIDE_PLANS[plan];
  return (
    <div className="control" data-testid="student-plan">
      <p><strong>Stride plan: {info.label}.</strong> {reason} {info.blurb} Feature maps: {sides.map((s) => `${s}×${s}`).join(', ')}.</p>
      <label>Plan{' '}
        <select value={chosen} disabled={busy} onChange={(e) => onPlan(e.target.value as StridePlanId | 'auto')}>
          <option value="auto">Automatic (from the image size)</option>
          {(Object.keys(STRIDE_PLANS) as StridePlanId[]).map((id) => <option key={id} value={id}>{STRIDE_PLANS[id].label}</option>)}
        </select>
      </label>
    </div>
  );
}
