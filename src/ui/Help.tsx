import { useId, useState, type ReactNode } from 'react';

/** A "?" toggle that shows a short plain-words explanation of the panel it sits in. */
export function Help({ topic, children }: { topic: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      <button type="button" className="help-toggle" aria-expanded={open} aria-controls={id} aria-label={`Explain ${topic}`}
        onClick={() => setOpen(!open)}>?</button>
      {open ? <div id={id} className="help" role="note">{children}</div> : null}
    </>
  );
}
