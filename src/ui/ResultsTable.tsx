import { METHODS } from '../domain';
import { selectPilot, selectRunOrder, selectRuns } from '../state/selectors';
import { useStudio } from './context';
import { compact, bytes, duration, pct } from './format';

/** Every run of this session with its final numbers. */
export function ResultsTable() {
  const order = useStudio(selectRunOrder);
  const runs = useStudio(selectRuns);
  const pilot = useStudio(selectPilot);
  if (order.length === 0) return null;
  const accuracy: Record<string, number> = {};
  for (const id of order) if (runs[id].result) accuracy[runs[id].method] = runs[id].result!.testAccuracy;
  return (
    <section className="panel" aria-labelledby="results-h">
      <h2 id="results-h">3 · Results</h2>
      <table>
        <thead><tr><th>Method</th><th>State</th><th>Test accuracy</th><th>Val accuracy (last epoch)</th><th>Parameters</th><th>FLOPs / image</th><th>Size fp32</th><th>Wall time</th></tr></thead>
        <tbody>
          {order.map((id) => {
            const r = runs[id];
            const lastVal = [...r.evals].reverse().find((e) => e.split === 'val');
            return (
              <tr key={id} data-testid={`run-${r.method}`}>
                <td>{METHODS[r.method].label}</td>
                <td>{r.error ? <span role="alert">{r.error}</span> : r.state}</td>
                <td data-testid={`acc-${r.method}`}>{pct(r.result?.testAccuracy)}</td>
                <td>{pct(lastVal?.accuracy)}</td>
                <td>{r.result ? compact(r.result.studentCosts.params) : '—'}</td>
                <td>{r.result ? compact(r.result.studentCosts.flopsPerImage) : '—'}</td>
                <td>{r.result ? bytes(r.result.studentCosts.bytes.fp32) : '—'}</td>
                <td>{r.result ? duration(r.result.wallMs) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {pilot.status !== 'idle' ? (
        <p role="status" data-testid="pilot-status" data-pilot={pilot.status}
          data-result={JSON.stringify({ wallSeconds: pilot.wallMs / 1000, testAccuracy: accuracy })}>
          {pilot.message}{pilot.status === 'done' ? ` in ${duration(pilot.wallMs)}` : ''}
        </p>
      ) : null}
    </section>
  );
}
