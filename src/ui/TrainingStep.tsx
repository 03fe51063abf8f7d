import { BackendBadge } from './BackendBadge';
import { RunsTable } from './RunsTable';
import { Step } from './Step';
import { TrainingCharts } from './TrainingCharts';
import { UnderTheHood } from './UnderTheHood';

/** Step 4: watch the pilot train (it is started, paused, stepped and stopped from the pilot bar). */
export function TrainingStep() {
  return (
    <Step n={4} id="step-train" title="Training" needs="the configuration of step 3" produces="trained students and their test accuracy"
      help={<p>Training runs in the background of this page (a Web Worker) on the backend shown in the badge. Pause stops between batches; “Step one batch” then trains exactly one batch and updates the curves, so you can watch a single update. Stop ends the run and keeps nothing of it.</p>}>
      <div className="train-head"><BackendBadge />
        <span className="hint">Run pilot, Pause, Step one batch and Stop are in the pilot bar at the top of the page.</span></div>
      <TrainingCharts />
      <UnderTheHood />
      <RunsTable />
    </Step>
  );
}
