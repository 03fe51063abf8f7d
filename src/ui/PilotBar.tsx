/**
 * The pilot bar, always in view (sticky): the main action ("Run pilot", then Pause / Resume,
 * Step one batch and Stop for the active run), the run's progress and the pilot's state.
 */
import { selectBusy } from '../state/selectors';
import { useStudio } from './context';
import { PilotButton } from './PilotButton';
import { PilotStatus } from './PilotStatus';
import { RunControls } from './RunControls';

export function PilotBar() {
  const busy = useStudio(selectBusy);
  return (
    <section className="pilot-bar" aria-label="Pilot run" data-busy={busy ? 'true' : 'false'}>
      {busy ? null : <PilotButton />}
      <RunControls />
      <PilotStatus />
    </section>
  );
}
