import { METHODS } from '../domain';
import { runEtaMs, runProgress, selectActiveRun } from '../state/selectors';
import { useHandles, useStudio } from './context';
import { duration, pct } from './format';

/** The active run: progress, time, loss and the pause / step / stop controls. */
export function RunControls() {
  const run = useStudio(selectActiveRun);
  const { client } = useHandles();
  if (!run) return <p className="hint">No run is training. Start the pilot above; finished runs are listed below.</p>;
  const p = run.progress;
  return (
    <div className="run-controls" aria-label="Active run">
      <h3>Training: {METHODS[run.method].label}, seed {run.config.seed}</h3>
      <progress max={1} value={runProgress(run)} aria-label="Training progress" />
      <p role="status" data-testid="run-status">{run.message}{p ? ` · epoch ${p.epoch + 1}/${run.config.epochs}, step ${p.step}/${p.totalSteps}` : ''}</p>
      {p ? (
        <p className="figures">
          Elapsed {duration(p.elapsedMs)} · about {duration(runEtaMs(run))} left · {Math.round(p.samplesPerSec)} images/s ·
          loss {p.loss.total.toFixed(4)} (labels {p.loss.ce.toFixed(4)}, KD {p.loss.kd.toFixed(4)}, features {p.loss.feat.toFixed(4)}) ·
          batch accuracy {pct(p.trainAccuracy, 1)}
        </p>
      ) : null}
      <div className="controls control">
        {run.state === 'paused'
          ? <button type="button" onClick={() => client.resume(run.runId)}>Resume</button>
          : <button type="button" onClick={() => client.pause(run.runId)} disabled={run.state !== 'running'}>Pause</button>}
        <button type="button" onClick={() => client.step(run.runId)} disabled={run.state !== 'paused'}>Step one batch</button>
        <button type="button" onClick={() => client.stop(run.runId)}>Stop</button>
      </div>
    </div>
  );
}
