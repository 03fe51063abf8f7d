/**
 * The first screen's story, above the pilot bar: what the studio does in one sentence, the
 * pilot's promise in numbers it already knows (the teacher's size and accuracy from its shipped
 * card, the student's size and compute from the registry's preset, measured in the worker), and
 * once a pilot ran, the stakeholder sentence and the verdict. Presenter mode shows the same
 * cost/gain line next to the network view.
 */
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ARCHS, datasetInfo } from '../domain';
import { costKey, selectFinishedRuns } from '../state/selectors';
import { selectCardTeacher } from '../state/ownTeacher';
import type { Studio } from '../state/store';
import { useStudio } from './context';
import { bytes, count, pct } from './format';
import { pilotCardModel } from './pilotCardModel';
import { sizeLine } from './storyLine';

const selectIntroInputs = (s: Studio) => [s.config, selectCardTeacher(s), s.costs, s.latencyPairs] as const;

export function StoryIntro() {
  const [config, teacher, costs, pairs] = useStudio(useShallow(selectIntroInputs));
  const finished = useStudio(useShallow(selectFinishedRuns));
  const model = useMemo(() => pilotCardModel(config, finished, teacher, costs, pairs), [config, finished, teacher, costs, pairs]);
  const t = teacher?.status === 'ok' ? teacher.card : null;
  const student = costs[costKey(config.dataset, config.student, false)]?.costs ?? null;
  const info = datasetInfo(config.dataset);
  const line = sizeLine({
    teacher: t ? { label: t.imported ? `your model (${t.imported.name})` : ARCHS[t.spec.arch]?.label ?? t.spec.arch, params: t.costs.params, flops: t.costs.flopsPerImage, fp32: t.costs.bytes.fp32, accuracy: t.testAccuracy } : null,
    student: { label: ARCHS[config.student.arch].label, params: student?.params ?? null, flops: student?.flopsPerImage ?? null, fp32: student?.bytes.fp32 ?? null },
    dataset: info.label,
    noTeacher: teacher?.status === 'missing' ? 'none' : 'loading',
  }, { count, bytes, pct });
  return (
    <section className="story-intro" aria-label="What this studio does">
      {/* Once a pilot ran, its sentence carries the sizes: the purpose shrinks and the size line gives way, so the key story stays in the first screen. */}
      <p className={model.sentence ? 'purpose purpose-after' : 'purpose'} data-testid="purpose">
        Shrink a large image classifier (the <em>teacher</em>) into a small, cheap one (the <em>student</em>), see which of the teacher’s features were worth passing on, and get numbers to decide with. Everything runs in this browser; no image leaves the machine.
      </p>
      {model.sentence ? null : <p className="size-line" data-testid="size-line">{line}</p>}
      {model.sentence ? (
        <p className="stakeholder" data-testid="stakeholder-sentence" aria-live="polite">
          <strong>{model.sentence}</strong>{model.verdict ? <> {model.verdict.text}</> : null}
        </p>
      ) : null}
    </section>
  );
}
