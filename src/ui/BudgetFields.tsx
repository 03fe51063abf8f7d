import { batchReason, datasetInfo } from '../domain';
import { selectBusy, selectConfig } from '../state/selectors';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { NumberField } from './fields';

/** The training budget: the same for every method of the pilot. */
export function BudgetFields() {
  const c = useStudio(selectConfig);
  const busy = useStudioDeferred(selectBusy);
  const set = useHandles().store.getState().setConfig;
  const reason = batchReason(c.student, datasetInfo(c.dataset).shape, c.batchSize);
  return (
    <fieldset className="control grid" disabled={busy}>
      <legend>Training budget (the same for every method)</legend>
      <NumberField label="Epochs" explain="Passes over the training images." value={c.epochs} min={1} max={1000} integer onChange={(v) => set({ epochs: v })} />
      <NumberField label="Batch size" explain={`Images per training step.${reason ? ` ${reason}` : ''}`} value={c.batchSize} min={1} max={4096} integer onChange={(v) => set({ batchSize: v })} />
      <NumberField label="Learning rate" explain="Step size of the optimiser (its peak under a schedule; cosine decay to 0 by default)." value={c.learningRate} min={0.0000001} max={10} step={0.0005} onChange={(v) => set({ learningRate: v })} />
      <NumberField label="Seed" explain="Fixes initial weights and data order: the same seed gives the same run." value={c.seed} min={0} integer onChange={(v) => set({ seed: v })} />
      <NumberField label="Training images (0 = all)" explain="Use only the first N training images: a fast, rough pilot." value={c.trainLimit} min={0} integer step={1000} onChange={(v) => set({ trainLimit: v })} />
      <NumberField label="Test images (0 = all)" explain="Use only the first N test images for the final accuracy." value={c.testLimit} min={0} integer step={1000} onChange={(v) => set({ testLimit: v })} />
    </fieldset>
  );
}
