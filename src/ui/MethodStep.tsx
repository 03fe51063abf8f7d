import type { MethodId } from '../domain';
import { METHODS } from '../domain';
import { selectBusy, selectMethod } from '../state/selectors';
import { BudgetFields } from './BudgetFields';
import { TrainerFields } from './TrainerFields';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { MethodOptions } from './MethodOptions';
import { Step } from './Step';
import { StudentPicker } from './StudentStep';

const ALL = Object.keys(METHODS) as MethodId[];

function MethodPicker() {
  const method = useStudio(selectMethod);
  const busy = useStudioDeferred(selectBusy);
  const { store } = useHandles();
  return (
    <fieldset className="control" disabled={busy}>
      <legend>Method</legend>
      {ALL.map((id) => (
        <label key={id} className="radio">
          <input type="radio" name="method" value={id} checked={method === id} onChange={() => store.getState().setConfig({ method: id })} />
          <span><strong>{METHODS[id].label}</strong> — {METHODS[id].blurb}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** Step 3: the student, the method and the budget. */
export function MethodStep() {
  return (
    <Step n={3} id="step-student" title="Student and method" needs="the teacher (for every method but student alone)"
      produces="the configuration the pilot trains (it is also in the page address, ready to share)"
      help={<p>The student is the small model to train. Its size dial changes the number of channels (width) and blocks (depth); the costs update before any training. The method says how the student learns from the teacher; the pilot always also trains the student alone, as the baseline.</p>}>
      <StudentPicker />
      <div className="two-col">
        <MethodPicker />
        <MethodOptions />
      </div>
      <BudgetFields />
      <TrainerFields />
    </Step>
  );
}
