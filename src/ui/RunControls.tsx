import { METHODS } from '../domain';
import { runEtaMs, runProgress, selectActiveRun } from '../state/selectors';
import { useHandles, useStudio } from './context';
import { duration, pct } from './format';

/** The active run in the pilot bar: progress, time, loss and Pause / Resume, Step one batch, Stop. */
export function RunControls() {
  const run = useStudio(selectActiveRun);
  const { client } = useHandles();
  if (!run) return null;
  const p = run.progress;
  return (
    <div className="run-controls" role="group" aria-label="Active run">
      <div className="controls control">
        {run.state === 'paused'
          ? <button type="button" className="primary" onClick={() => client.resume(run.runId)}>Resume</button>
          : <button type="button" className="primary" onClick={() => client.pause(run.runId)} disabled={run.state !== 'running'}>Pause</button>}
        <button type="button" onClick={() => client.step(run.runId)} disabled={run.state !== 'paused'}>Step one batch</button>
        <button type="button" onClick={() => client.stop(run.runId)}>Stop</button>
      </div>
      <div className="run-now">
        <p className="run-title"><strong>{METHODS[run.method].label.split(' (')[0]}</strong>, seed {run.config.seed}</p>
        <progress max={1} value={runProgress(run)} aria-label="Training progress" />
        <p role="status" data-testid="run-status" className="run-status">{run.message}{p ? ` · epoch ${p.epoch + 1}/${run.config.epochs}, step ${p.step}/${p.totalSteps}` : ''}</p>
      </div>
      {p ? (
        <p className="figures">
          {duration(p.elapsedMs)} elapsed, about {duration(runEtaMs(run))} left · {Math.round(p.samplesPerSec)} images/s ·
          loss {p.loss.total.toFixed(4)} (labels {p.loss.ce.toFixed(4)}, KD {p.loss.kd.toFixed(4)}, features {p.loss.feat.toFixed(4)}) ·
          batch accuracy {pct(p.trainAccuracy, 1)}
        </p>
      ) : null}
    </div>
  );
}
