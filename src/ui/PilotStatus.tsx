import { useShallow } from 'zustand/react/shallow';
import { testAccuracyByMethod } from '../state/selectors';
import type { Studio } from '../state/store';
import { useStudio } from './context';
import { duration } from './format';

/** What the automation reads: the pilot's state and its figures as JSON. */
const selectStatus = (s: Studio) => ({
  pilot: s.pilot,
  accuracy: JSON.stringify(testAccuracyByMethod(s, s.plan ? s.plan.runIds : [])),
});

export function PilotStatus() {
  const { pilot, accuracy } = useStudio(useShallow(selectStatus));
  if (pilot.status === 'idle') return null;
  const result = `{"wallSeconds":${pilot.wallMs / 1000},"testAccuracy":${accuracy}}`;
  return (
    <p role="status" data-testid="pilot-status" data-pilot={pilot.status} data-result={result}>
      {pilot.message}{pilot.status === 'done' ? ` in ${duration(pilot.wallMs)}` : ''}
    </p>
  );
}
