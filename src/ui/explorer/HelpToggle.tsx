/** An accessible "?" button that shows or hides a chart's plain-words explanation. */
import { memo, useId, useState } from 'react';
import { glossaryLines, type HelpText } from './help';

/** "What does the network view show?", "What do the influence bars show?" (plural topics end in s). */
export const helpQuestion = (topic: string) => `What ${/s$/.test(topic) && !/ss$/.test(topic) ? 'do' : 'does'} the ${topic} show?`;

/** Memoised: its props are constants, so a slider step does not re-render it. */
export const HelpToggle = memo(function HelpToggle({ topic, help }: { topic: string; help: HelpText }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="ex-help">
      <button type="button" className="ex-help-button" aria-expanded={open} aria-controls={id}
        aria-label={helpQuestion(topic)} onClick={() => setOpen((o) => !o)}>?</button>
      <div id={id} hidden={!open} className="ex-help-text" role="note">
        <p>{help.text}</p>
        <dl>
          {glossaryLines(help.terms).map((g) => (
            <div key={g.term}><dt>{g.term}</dt><dd>{g.meaning}</dd></div>
          ))}
        </dl>
      </div>
    </div>
  );
});
