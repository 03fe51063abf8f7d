/**
 * The key explorer: for the chosen attention run (AFD / RTK), the attention heatmap, influence
 * bars, live k / threshold controls, selection per class and energy maps of the kept keys.
 */
import { useLayoutEffect, useMemo } from 'react';
import type { ImportanceRule, KeyStats } from '../../domain';
import { datasetInfo, METHODS, rulesAvailable, shownSelection } from '../../domain';
import { clampK, clampThreshold } from '../../viz/selection';
import { AttentionPanel } from './AttentionPanel';
import { ClassPanel } from './ClassPanel';
import { useExplorerRun } from './data';
import { EnergyPanel } from './EnergyPanel';
import { selectExplorerImportance, selectExplorerK, selectExplorerThreshold, useExplorerStore } from './explorerStore';
import { SeedAgreement } from './SeedAgreement';
import { InfluencePanel } from './InfluencePanel';
import { NetworkPanel } from './NetworkPanel';
import { TimelinePanel } from './TimelinePanel';
import { VerdictLine } from './VerdictLine';
import { closeRepaint } from './repaintProbe';
import { useNextFrame } from '../useNextFrame';
import { useDeferredDrawn } from '../pageHold';
import { RunBar } from './RunBar';
import { SelectionControls } from './SelectionControls';
import './explorer.css';

/** The rule shown: the one asked for if this evaluation recorded it, else the run's own, else 'afd'. */
function ruleShown(keys: KeyStats | null, want: ImportanceRule | null): ImportanceRule {
  if (!keys) return 'afd';
  const have = rulesAvailable(keys);
  if (want && have.includes(want)) return want;
  const own = keys.importance ?? 'afd';
  return have.includes(own) ? own : 'afd';
}

export function KeyExplorer() {
  // A new evaluation (or run) re-renders the heatmap, bars, class table and energy maps: a deferred
  // render that React splits into short slices, so it never blocks the page while training. The
  // k / threshold controls below stay urgent.
  const { runs, run, config, keys, latest, evalCount, keyEvals, shown } = useDeferredDrawn(useExplorerRun());
  const wantK = useExplorerStore(selectExplorerK);
  const wantThreshold = useExplorerStore(selectExplorerThreshold);
  const wantRule = useExplorerStore(selectExplorerImportance);
  const S = keys?.S ?? 2;
  const k = clampK(wantK ?? keys?.k ?? 1, S);
  const rule = ruleShown(keys, wantRule);
  const threshold = clampThreshold(wantThreshold, S, k, rule);
  const sel = useMemo(() => (keys ? shownSelection(keys, rule, k, threshold) : null), [keys, rule, k, threshold]);
  // The kept mask keeps its identity while its values stay the same, so the memoised heatmap,
  // class table and energy maps only re-render when a key actually changes side.
  const keptKey = sel ? `${sel.kept.join('')}${sel.decisions.join('')}` : '';
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const kept = useMemo(() => sel?.kept ?? [], [keptKey]);
  useLayoutEffect(() => { closeRepaint(); }, [sel]);
  // The timeline and the detail charts mount a frame after the network view (their own layout task).
  const details = useNextFrame(sel !== null);

  return (
    <section className="panel explorer" id="explorer" aria-labelledby="explorer-h" data-eval-count={evalCount} data-eval-shown={shown + 1}
      data-run-state={run?.state ?? 'none'}>
      <div className="ex-title">
        <h2 id="explorer-h">Key explorer: which teacher features are worth passing on</h2>
        <VerdictLine />
      </div>
      {!run ? (
        <div className="ex-empty">
          <p>No attention run yet. Run a pilot with <strong>{METHODS.rtk.label}</strong> or <strong>{METHODS.afd.label}</strong>, and this
            panel will show:</p>
          <ul>
            <li>a heatmap of how each teacher tap (a key) spreads its attention over the student taps;</li>
            <li>each key’s influence as a bar, with the threshold line that decides which keys are kept;</li>
            <li>a k selector and threshold slider that recompute the kept keys instantly, without retraining;</li>
            <li>the kept keys per class (a check for data bias) and, once the run is finished, where the kept keys look in sample images.</li>
          </ul>
        </div>
      ) : (
        <>
          <div className="ex-story">
            <p className="hint">Which teacher features (keys) the student learns from. {run.method === 'afd'
              ? 'This AFD run distils every key; the kept keys show what RTK would keep with these settings.'
              : 'RTK distils only the kept keys.'}</p>
            <RunBar runs={runs} run={run} evalCount={evalCount} />
            {!keys || !sel ? (
              <p className="hint" role="status">{run.state === 'failed' || run.state === 'stopped'
                ? `This run ${run.state === 'failed' ? 'failed' : 'was stopped'} before its first evaluation, so there is no attention to show; its message is in the runs list.`
                : 'Waiting for the first evaluation of this run: pause and step one batch, or wait for the end of the epoch.'}</p>
            ) : (
              <>
                <SelectionControls T={keys.T} S={keys.S} k={k} runK={keys.k} runRule={keys.importance ?? 'afd'} rules={rulesAvailable(keys)}
                  threshold={threshold} sel={sel} teacherTaps={keys.teacherTaps} />
                <NetworkPanel keys={keys} sel={sel} k={k} runId={run.runId} runDone={run.state === 'done'} evalKey={`${run.runId}:${shown}:${evalCount}`} />
                {details && run.state === 'done' ? <SeedAgreement runId={run.runId} rule={rule} k={k} threshold={threshold} /> : null}
                {details ? <TimelinePanel keyEvals={keyEvals} shown={shown} k={k} threshold={threshold} rule={rule} teacherTaps={keys.teacherTaps} /> : null}
              </>
            )}
          </div>
          {keys && sel && details ? (
            <div className="ex-details">
              <p className="hint">Measured on {keys.images} {latest?.split === 'test' ? 'test' : 'validation'} images
                (evaluation {shown + 1} of {evalCount}, epoch {(latest?.epoch ?? 0) + 1}). The run trained with k = {keys.k} and
                the {keys.importance === 'keys' ? '“keys compete”' : 'AFD'} importance rule.{sel.spread.length
                  ? ` Each influence’s spread is its standard deviation over ${Math.floor(keys.images / (keys.groups?.size ?? 64))} groups of ${keys.groups?.size ?? 64} images.` : ''}</p>
              <div className="ex-charts">
                <AttentionPanel keys={keys} kept={kept} rule={rule} />
                <InfluencePanel sel={sel} teacherTaps={keys.teacherTaps} k={k} />
              </div>
              <ClassPanel keys={keys} rule={rule} k={k} threshold={threshold} kept={kept}
                classNames={config ? datasetInfo(config.dataset).classNames : []} />
              {run.state === 'done'
                ? <EnergyPanel runId={run.runId} teacherTaps={keys.teacherTaps} kept={kept} />
                : <p className="hint">Energy maps of the kept keys over sample images appear when the run has finished.</p>}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
