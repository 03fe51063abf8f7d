import type { ReactNode } from 'react';
import { Help } from './Help';

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

/** One numbered step of the pilot page. */
export function Step({ n, id, title, needs, produces, help, children }: StepProps) {
  return (
    <section className="panel step" aria-labelledby={`${id}-h`} id={id}>
      <div className="step-head">
        <h2 id={`${id}-h`}><span className="step-n" aria-hidden="true">{n}</span> {title}</h2>
        <Help topic={title}>{help}</Help>
      </div>
      <p className="needs"><span>Needs: {needs}</span> <span>Produces: {produces}</span></p>
      {children}
    </section>
  );
}
