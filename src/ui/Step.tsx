import type { ReactNode } from 'react';
import { useDeferredDrawn } from './pageHold';
import { useStudio } from './context';
import { Help } from './Help';
import { selectStepOpen, useLayoutStore } from './layoutStore';
import { AUTO_FOLD, FOLDABLE, parseStepLine, selectAutoFold, selectStepLine } from './stepStatus';

interface StepProps {
  n: number;
  id: string;
  title: string;
  /** What the step needs from earlier steps, and what it produces for later ones. */
  needs: string;
  produces: string;
  help: ReactNode;
  children: ReactNode;
}

/**
 * One numbered step of the pilot page. A finished setup step folds to its one-line summary
 * (stepStatus.ts) and opens again on request; its content stays mounted, only hidden.
 */
export function Step({ n, id, title, needs, produces, help, children }: StepProps) {
  // Folding on its own (when a run starts) renders in a transition, not inside the click or the worker message.
  const auto = useDeferredDrawn(useStudio(selectAutoFold)) && AUTO_FOLD.has(id);
  const byHand = useLayoutStore(selectStepOpen(id));
  const line = useStudio(selectStepLine(id));
  const foldable = FOLDABLE.has(id);
  const folded = foldable && (byHand === undefined ? auto : !byHand);
  const { state, summary } = parseStepLine(line);
  return (
    <section className={folded ? 'panel step folded' : 'panel step'} aria-labelledby={`${id}-h`} id={id} data-step-state={state}>
      <div className="step-head">
        <h2 id={`${id}-h`}><span className={`step-n step-n-${state}`} aria-hidden="true">{state === 'done' ? '✓' : n}</span> {title}</h2>
        {folded ? <p className="step-summary">{summary}</p> : <Help topic={title}>{help}</Help>}
        {foldable ? (
          <button type="button" className="fold-toggle" aria-expanded={!folded} aria-controls={`${id}-body`}
            onClick={() => useLayoutStore.getState().setOpen(id, folded)}>
            {folded ? 'Open' : 'Fold'}<span className="sr-only"> {title}</span>
          </button>
        ) : null}
      </div>
      <div id={`${id}-body`} hidden={folded}>
        <p className="needs"><span>Needs: {needs}</span> <span>Produces: {produces}</span></p>
        {children}
      </div>
    </section>
  );
}
