import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectActiveRun, selectFinishedRuns } from '../state/selectors';
import type { Studio } from '../state/store';
import { selectCardTeacher } from '../state/ownTeacher';
import { useHandles, useStudio } from './context';
import { bytes, compact, pct } from './format';
import { pilotCardModel, type CardRow } from './pilotCardModel';
import { runPlan, seedsPlan } from './planRunner';
import { ImportJob } from './ImportJob';
import { Step } from './Step';
import { useCosts } from './useCosts';
import { useLatencyPair } from './useLatencyPair';
import { SpeedLine } from './SpeedLine';

const selectCardInputs = (s: Studio) => [s.config, selectCardTeacher(s), s.costs, selectActiveRun(s) !== null || s.pilot.status === 'running', s.latencyPairs] as const;

function Accuracy({ row }: { row: CardRow }) {
  if (row.key === 'teacher') return <>{pct(row.accuracy)}</>;
  if (!row.stats) return <>not run yet</>;
  const s = row.stats;
  return s.sd === null
    ? <>{pct(s.mean)} <span className="tag">single run</span></>
    : <>{pct(s.mean)} ± {(s.sd * 100).toFixed(2)} <span className="tag">{s.n} seeds</span></>;
}

/** Step 5: teacher vs student alone vs distilled student, and whether distillation paid off. */
export function PilotCard() {
  const [config, teacher, costs, busy, pairs] = useStudio(useShallow(selectCardInputs));
  const finished = useStudio(useShallow(selectFinishedRuns));
  const { store, client } = useHandles();
  const model = useMemo(() => pilotCardModel(config, finished, teacher, costs, pairs), [config, finished, teacher, costs, pairs]);
  const hasRuns = model.rows.some((r) => r.stats);
  // Teacher and student latency here, measured together once training has stopped.
  const t = teacher?.status === 'ok' && !teacher.card.imported ? teacher.card.spec : null;
  const speedError = useLatencyPair(t, config.student, config.dataset, hasRuns && !busy);
  useCosts(config.student, config.dataset, { latency: true, enabled: hasRuns && !busy && !t });
  return (
    <Step n={5} id="step-card" title="Pilot card" needs="finished runs of step 4" produces="the numbers to defend: accuracy, size, speed and a verdict"
      help={<p>Accuracy is on the test images, which no model saw in training. With several seeds it is the mean ± standard deviation; a single run cannot tell luck from a real gain. The verdict is “inconclusive” when the gain is within the spread between seeds. Size and speed are the same for both students: distillation changes what the student learns, not its cost.</p>}>
      <table data-testid="pilot-card">
        <thead><tr><th>Model</th><th>Test accuracy</th><th>Parameters</th><th>FLOPs / image</th><th>Size fp32 / fp16 / int8</th><th>Latency per image here (median / p95)</th></tr></thead>
        <tbody>{model.rows.map((r) => (
          <tr key={r.key} data-testid={`card-${r.key}`}>
            <th scope="row">{r.label}</th>
            <td><Accuracy row={r} /></td>
            <td>{r.costs ? compact(r.costs.params) : '—'}</td>
            <td>{r.costs ? compact(r.costs.flopsPerImage) : '—'}</td>
            <td>{r.costs ? `${bytes(r.costs.bytes.fp32)} / ${bytes(r.costs.bytes.fp16)} / ${bytes(r.costs.bytes.int8)}` : '—'}</td>
            <td>{r.latency ? `${r.latency.medianMs.toFixed(2)} / ${r.latency.p95Ms.toFixed(2)} ms` : '—'}</td>
          </tr>
        ))}</tbody>
      </table>
      {model.verdict ? <p className={`verdict verdict-${model.verdict.kind}`} data-testid="verdict" data-verdict={model.verdict.kind}>{model.verdict.text}</p> : null}
      {model.sentence ? <p className="sentence" data-testid="summary-sentence">{model.sentence}</p> : null}
      {hasRuns ? <SpeedLine pair={model.speed} error={speedError} /> : null}
      {!hasRuns ? <p className="hint">Run the pilot (step 4) to fill in the students.</p> : null}
      <div className="control">
        <button type="button" disabled={busy} onClick={() => { void runPlan(client, store, seedsPlan(store, store.getState().config)); }}>Run 3 seeds</button>
        <span className="hint"> Trains both methods for seeds {config.seed}, {config.seed + 1} and {config.seed + 2}, one after the other (runs already finished are reused).</span>
      </div>
      <ImportJob />
    </Step>
  );
}
