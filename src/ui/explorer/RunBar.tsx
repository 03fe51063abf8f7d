/** Which attention run the explorer shows, and Pause / Step one batch / Resume for an active one. */
import { memo } from 'react';
import { datasetInfo, METHODS } from '../../domain';
import { useHandles } from '../context';
import type { AttentionRunRef } from './data';
import { selectExplorerRunId, useExplorerStore } from './explorerStore';

export interface RunBarProps {
  runs: AttentionRunRef[];
  run: AttentionRunRef;
  evalCount: number;
}

const ACTIVE = new Set(['loading', 'running', 'paused']);

/** "CIFAR-10 · RTK (representative teacher keys) · seed 2" */
const runName = (r: AttentionRunRef) => `${datasetInfo(r.dataset).label} · ${METHODS[r.method].label} · seed ${r.seed}`;

export const RunBar = memo(function RunBar({ runs, run, evalCount }: RunBarProps) {
  const { client } = useHandles();
  const setRunId = useExplorerStore.getState().setRunId;
  const chosen = useExplorerStore(selectExplorerRunId);
  const active = ACTIVE.has(run.state);
  return (
    <div className="ex-runbar">
      {runs.length > 1 ? (
        <label className="ex-inline">Run shown
          <select value={chosen ?? ''} onChange={(e) => setRunId(e.target.value || null)}>
            <option value="">Automatic: the active run, else the latest with keys</option>
            {runs.map((r, i) => <option key={r.runId} value={r.runId}>#{i + 1} {runName(r)}{r.origin ? ` · ${r.origin}` : ' · this browser'} ({r.state})</option>)}
          </select>
        </label>
      ) : <span>Run: {runName(run)}{run.origin ? ` · ${run.origin}` : ''}</span>}
      {run.origin ? <span className="tag" data-testid="explorer-origin">Ran as {run.origin}</span> : null}
      <span className="ex-runstate">State: {run.state} · evaluations with key statistics: {evalCount}</span>
      {active ? (
        <div className="controls" role="group" aria-label="Step through training">
          <button type="button" onClick={() => client.pause(run.runId)} disabled={run.state !== 'running'}>Pause</button>
          <button type="button" onClick={() => client.step(run.runId)} disabled={run.state !== 'paused'}>Step one batch</button>
          <button type="button" onClick={() => client.resume(run.runId)} disabled={run.state !== 'paused'}>Resume</button>
        </div>
      ) : null}
      {active && run.state === 'paused' ? <p className="hint">Paused, each “Step one batch” trains one batch and re-measures the attention on 512 validation images, so the charts below move.</p> : null}
    </div>
  );
});
