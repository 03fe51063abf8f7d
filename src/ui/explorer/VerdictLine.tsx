/**
 * The pilot's one-sentence verdict beside the network view (and large in presenter mode), with
 * a link to the full pilot card. Nothing before a finished pilot.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { selectFinishedRuns } from '../../state/selectors';
import type { Studio } from '../../state/store';
import { useStudio } from '../context';
import { pilotCardModel } from '../pilotCardModel';

const selectInputs = (s: Studio) => [s.config, s.teacherCards[s.config.dataset], s.costs] as const;

export function VerdictLine() {
  const [config, teacher, costs] = useStudio(useShallow(selectInputs));
  const finished = useStudio(useShallow(selectFinishedRuns));
  const model = useMemo(() => pilotCardModel(config, finished, teacher, costs), [config, finished, teacher, costs]);
  if (!model.verdict) return null;
  return (
    <p className={`verdict verdict-${model.verdict.kind} ex-verdict`} data-testid="story-verdict">
      {model.verdict.text} <a href="#card">Pilot card</a>
    </p>
  );
}
