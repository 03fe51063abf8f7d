import type { Augment, LrSchedule, OptimizerId } from '../domain';
import { defaultAugment } from '../domain';
import { selectBusy, selectConfig } from '../state/selectors';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { NumberField, SelectField } from './fields';

/** How the student is trained (the same for every method): optimiser, schedule, augmentation. */
export function TrainerFields() {
  const c = useStudio(selectConfig);
  const busy = useStudioDeferred(selectBusy);
  const set = useHandles().store.getState().setConfig;
  const photos = defaultAugment(c.dataset) === 'crop-flip';
  return (
    <fieldset className="control grid" disabled={busy}>
      <legend>Trainer (the same for every method)</legend>
      <SelectField<OptimizerId> label="Optimiser" explain="Adam adapts each weight's step size (the pilot's default); SGD with momentum is the usual recipe for a student you ship."
        value={c.optimizer} onChange={(v) => set({ optimizer: v })}
        options={[{ value: 'adam', label: 'Adam' }, { value: 'sgd', label: 'SGD with momentum' }]} />
      {c.optimizer === 'sgd' ? (
        <>
          <NumberField label="Momentum" explain="Share of the previous step kept in the next one (0 to 0.999)." value={c.momentum} min={0} max={0.999} step={0.05} onChange={(v) => set({ momentum: v })} />
          <NumberField label="Weight decay" explain="Pulls every weight towards 0 a little at each step (0 to 0.1); 5e-4 is the usual value." value={c.weightDecay} min={0} max={0.1} step={0.0001} onChange={(v) => set({ weightDecay: v })} />
        </>
      ) : null}
      <SelectField<LrSchedule> label="Learning-rate schedule" explain="Cosine decays the rate to 0; one-cycle warms up over the first 30 % of the steps, then decays."
        value={c.lrSchedule} onChange={(v) => set({ lrSchedule: v })}
        options={[{ value: 'cosine', label: 'Cosine decay' }, { value: 'one-cycle', label: 'One-cycle' }, { value: 'constant', label: 'Constant' }]} />
      <SelectField<Augment> label="Augmentation"
        explain={`Training images only, never validation or test. ${photos ? 'On by default for photos.' : 'Off by default here: a mirrored digit or letter can be another class.'}`}
        value={c.augment} onChange={(v) => set({ augment: v })}
        options={[{ value: 'crop-flip', label: 'Random crop (4-pixel padding) + flip' }, { value: 'none', label: 'None' }]} />
    </fieldset>
  );
}
