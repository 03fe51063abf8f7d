import type { Granularity, ImportanceRule } from '../domain';
import { METHODS } from '../domain';
import { STUDENT_TAPS } from '../state/configUrl';
import { selectBusy, selectMethod, selectOptions } from '../state/selectors';
import { useHandles, useStudio, useStudioDeferred } from './context';
import { NumberField, SelectField } from './fields';

/** Every option of the chosen method (RTK.md), each with one line saying what it does. */
export function MethodOptions() {
  const method = useStudio(selectMethod);
  const o = useStudio(selectOptions);
  const busy = useStudioDeferred(selectBusy);
  const set = useHandles().store.getState().setOptions;
  const showAfd = method === 'afd' || method === 'rtk';
  return (
    <fieldset className="control options" disabled={busy}>
      <legend>{METHODS[method].label}: options</legend>
      {method === 'student-alone' ? <p className="hint">No options: the student learns from the labels only.</p> : null}
      {method === 'kd' ? (
        <>
          <NumberField label="KD α" explain="Share of the loss from the teacher’s soft labels (the rest is the usual label loss)." value={o.kd.alpha} min={0} max={1} step={0.05} onChange={(v) => set('kd', { alpha: v })} />
          <NumberField label="KD temperature τ" explain="Softens both models’ probabilities; higher shows more of the teacher’s second guesses." value={o.kd.tau} min={0.1} max={100} step={0.5} onChange={(v) => set('kd', { tau: v })} />
        </>
      ) : null}
      {method === 'at' ? (
        <NumberField label="AT weight β_at" explain="Weight of the attention-map loss between taps of equal size." value={o.at.betaAt} min={0} step={100} onChange={(v) => set('at', { betaAt: v })} />
      ) : null}
      {showAfd ? (
        <>
          <NumberField label="Feature-loss weight β" explain="Weight of the feature loss against the label loss." value={o.afd.beta} min={0} step={10} onChange={(v) => set('afd', { beta: v })} />
          <NumberField label="Attention width d" explain="Size of the learned query/key vectors that link teacher and student taps." value={o.afd.attnDim} min={1} max={1024} integer onChange={(v) => set('afd', { attnDim: v })} />
        </>
      ) : null}
      {method === 'rtk' ? (
        <>
          <SelectField<ImportanceRule> label="Importance" explain="How a key’s importance is measured: AFD’s learned attention, or the teacher’s own softmax."
            value={o.rtk.importance} onChange={(v) => set('rtk', { importance: v })}
            options={[{ value: 'afd', label: 'AFD attention' }, { value: 'keys', label: 'Teacher softmax' }]} />
          <NumberField label="k (top-k)" explain={`Influence of a key = mean of its k largest attention values (1 to ${STUDENT_TAPS - 1}).`} value={o.rtk.k} min={1} max={STUDENT_TAPS - 1} integer onChange={(v) => set('rtk', { k: v })} />
          <SelectField<'mean' | 'value'> label="Threshold rule" explain="Keys with influence above the threshold are kept: the mean influence, or a fixed value."
            value={o.rtk.threshold === 'mean' ? 'mean' : 'value'} onChange={(v) => set('rtk', { threshold: v === 'mean' ? 'mean' : 0.3 })}
            options={[{ value: 'mean', label: 'Mean influence' }, { value: 'value', label: 'Fixed value' }]} />
          {o.rtk.threshold !== 'mean' ? (
            <NumberField label="Threshold value" explain="Influence a key must exceed to be kept (0 to 1)." value={o.rtk.threshold} min={0} max={1} step={0.01} onChange={(v) => set('rtk', { threshold: v })} />
          ) : null}
          <SelectField<Granularity> label="Granularity" explain="Select kept keys per image, or once per batch."
            value={o.rtk.granularity} onChange={(v) => set('rtk', { granularity: v })}
            options={[{ value: 'sample', label: 'Per image' }, { value: 'batch', label: 'Per batch' }]} />
          <NumberField label="Warm-up epochs" explain="Epochs of plain AFD before the key selection starts, so attention settles first." value={o.rtk.warmupEpochs} min={0} integer onChange={(v) => set('rtk', { warmupEpochs: v })} />
        </>
      ) : null}
    </fieldset>
  );
}
