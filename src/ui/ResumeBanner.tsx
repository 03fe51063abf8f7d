import { useState } from 'react';
import { METHODS } from '../domain';
import { selectResumeOffer } from '../state/selectors';
import { useHandles, useStudio } from './context';
import { runPlan } from './planRunner';

/** After a reload during training: continue the interrupted run from its last saved epoch. */
export function ResumeBanner() {
  const offer = useStudio(selectResumeOffer);
  const { store, client, loadCheckpoint } = useHandles();
  const [problem, setProblem] = useState<string | null>(null);
  if (!offer) return null;
  const resume = async () => {
    const saved = await loadCheckpoint(offer.runId).catch(() => null);
    if (!saved) { setProblem('The saved checkpoint could not be read back; start the run again.'); return; }
    store.getState().setUi({ resumeOffer: null });
    const run = store.getState().runs[offer.runId];
    const plan = offer.plan ?? { kind: 'pilot' as const, base: run.config, items: [{ method: run.method, seed: run.config.seed }], runIds: [offer.runId] };
    await runPlan(client, store, plan, { index: offer.index ?? 0, runId: offer.runId, checkpoint: saved.checkpoint });
  };
  return (
    <div className="resume" role="region" aria-label="Interrupted run">
      <p>
        The {METHODS[offer.method].label} run was interrupted by a reload after epoch {offer.epoch} of {offer.epochs}.
        Its weights were saved then{offer.plan && offer.plan.items.length > 1 ? ', and the rest of its plan follows it' : ''}.
      </p>
      <button type="button" className="primary" onClick={() => { void resume(); }}>Resume from epoch {offer.epoch}</button>
      <button type="button" onClick={() => store.getState().setUi({ resumeOffer: null })}>Dismiss</button>
      {problem ? <p className="error-text" role="status">{problem}</p> : null}
    </div>
  );
}
