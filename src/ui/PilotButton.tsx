import { METHODS } from '../domain';
import { selectBusy, selectDatasetMissing, selectMethod } from '../state/selectors';
import { useHandles, useStudio } from './context';
import { pilotPlan, runPlan } from './planRunner';

/** Starts the pilot: the student alone, then with the chosen method, same data order and seed. */
export function PilotButton() {
  const method = useStudio(selectMethod);
  const busy = useStudio(selectBusy);
  const missing = useStudio(selectDatasetMissing);
  const { store, client } = useHandles();
  return (
    <div className="control pilot-start">
      <button type="button" className="primary" disabled={busy || missing !== null} aria-describedby="pilot-start-why"
        onClick={() => { void runPlan(client, store, pilotPlan(store.getState().config)); }}>
        {busy ? 'Pilot running…' : 'Run pilot'}
      </button>
      <span className="hint" id="pilot-start-why" data-testid="pilot-start-hint">
        {missing ? `Cannot start: ${missing}` : method === 'student-alone' ? 'Trains the student alone.' : `Trains the student alone, then with ${METHODS[method].label}, on the same data order and seed.`}
      </span>
    </div>
  );
}
