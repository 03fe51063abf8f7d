/**
 * The rail: every step of the pilot in story order with its state (done ✓, under way, to do)
 * and one-line summary. A link opens a folded step before jumping to it.
 */
import { memo } from 'react';
import { useStudio } from './context';
import { openStep } from './layoutStore';
import { parseStepLine, selectStepLine, STEPS, type StepInfo } from './stepStatus';
import { useMedia } from './useMedia';

const STATE_WORDS = { done: 'done', active: 'under way', todo: 'to do' } as const;

const RailItem = memo(function RailItem({ step }: { step: StepInfo }) {
  const { state, summary } = parseStepLine(useStudio(selectStepLine(step.id)));
  return (
    <li className={`rail-item rail-${state}`}>
      <a href={`#${step.id}`} onClick={() => openStep(step.id)} aria-current={state === 'active' ? 'step' : undefined}>
        <span className="rail-n" aria-hidden="true">{state === 'done' ? '✓' : step.n ?? '◆'}</span>
        <span className="rail-text">
          <span className="rail-title">{step.title}<span className="sr-only">, {STATE_WORDS[state]}</span></span>
          <span className="rail-summary">{summary}</span>
        </span>
      </a>
    </li>
  );
});

/** On a narrow screen the rail collapses to a "Steps" menu above the content. */
export function Stepper() {
  const narrow = useMedia('(max-width: 960px)');
  const list = <ol>{STEPS.map((s) => <RailItem key={s.id} step={s} />)}</ol>;
  return (
    <nav className="rail" aria-label="Steps of the pilot">
      {narrow ? <details className="rail-menu"><summary>Steps of the pilot (7)</summary>{list}</details> : list}
    </nav>
  );
}
