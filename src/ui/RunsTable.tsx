import { datasetInfo, METHODS } from '../domain';
import { selectRunOrder, selectRuns } from '../state/selectors';
import { useHandles, useStudio } from './context';
import { bytes, compact, duration, pct } from './format';
import { Help } from './Help';

/** Every run, of this session and saved ones, with its final numbers; a run reopens in the charts. */
export function RunsTable() {
  const order = useStudio(selectRunOrder);
  const runs = useStudio(selectRuns);
  const { store } = useHandles();
  if (order.length === 0) return null;
  const latest = new Map<string, string>();
  for (const id of order) latest.set(runs[id].method, id);
  return (
    <div className="runs">
      <div className="chart-head">
        <h3>Runs</h3>
        <Help topic="the runs list">
          <p>Every run is saved in this browser as it trains, so a reload loses nothing. “Show curves” reopens a run in the charts above. Runs marked “saved” come from an earlier visit.</p>
        </Help>
      </div>
      <table>
        <thead><tr><th>Dataset</th><th>Method</th><th>Seed</th><th>State</th><th>Test accuracy</th><th>Val accuracy</th><th>Parameters</th><th>FLOPs / image</th><th>Size fp32</th><th>Wall time</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {[...order].reverse().map((id) => {
            const r = runs[id];
            const lastVal = [...r.evals].reverse().find((e) => e.split === 'val');
            const isLatest = latest.get(r.method) === id;
            return (
              <tr key={id} data-testid={isLatest ? `run-${r.method}` : undefined}>
                <td>{datasetInfo(r.config.dataset).label}</td>
                <td>{METHODS[r.method].label}{r.restored ? <span className="tag">saved</span> : null}</td>
                <td>{r.config.seed}</td>
                <td>{r.error ? <span role="alert">{r.error}</span> : r.message || r.state}</td>
                <td data-testid={isLatest ? `acc-${r.method}` : undefined}>{pct(r.result?.testAccuracy)}</td>
                <td>{pct(lastVal?.accuracy)}</td>
                <td>{r.result ? compact(r.result.studentCosts.params) : '—'}</td>
                <td>{r.result ? compact(r.result.studentCosts.flopsPerImage) : '—'}</td>
                <td>{r.result ? bytes(r.result.studentCosts.bytes.fp32) : '—'}</td>
                <td>{r.result ? duration(r.result.wallMs) : '—'}</td>
                <td className="control"><button type="button" onClick={() => store.getState().setUi({ viewRunIds: [id] })}
                  aria-label={`Show curves of ${METHODS[r.method].label}, seed ${r.config.seed}`}>Show curves</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
