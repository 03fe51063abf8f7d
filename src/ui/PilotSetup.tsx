import type { ChangeEvent } from 'react';
import type { DatasetId, MethodId } from '../domain';
import { DATASETS, METHODS } from '../domain';
import { runPilot } from '../bridge/pilot';
import { selectConfig, selectPilot } from '../state/selectors';
import { useHandles, useStudio } from './context';

const DISTILL_METHODS: MethodId[] = ['rtk', 'afd', 'kd', 'at'];
const BUILT_IN: DatasetId[] = ['mnist', 'fashion-mnist', 'cifar10'];

/** Dataset, method and budget of the pilot, and the button that runs it. */
export function PilotSetup() {
  const config = useStudio(selectConfig);
  const pilot = useStudio(selectPilot);
  const { store, client } = useHandles();
  const set = store.getState().setConfig;
  const busy = pilot.status === 'running';
  const num = (f: (v: number) => void) => (e: ChangeEvent<HTMLInputElement>) => {
    const v = Number(e.target.value);
    if (Number.isFinite(v)) f(v);
  };
  return (
    <section className="panel" aria-labelledby="setup-h">
      <h2 id="setup-h">1 · Pilot set-up</h2>
      <p className="hint">The pilot trains the same student twice — alone, then with the chosen distillation method — on the same data order and seed, and compares them with the teacher.</p>
      <div className="grid">
        <label>Dataset
          <select value={config.dataset} disabled={busy} onChange={(e) => set({ dataset: e.target.value as DatasetId })}>
            {BUILT_IN.map((id) => <option key={id} value={id}>{DATASETS[id].label}</option>)}
          </select>
        </label>
        <label>Distillation method
          <select value={config.method} disabled={busy} onChange={(e) => set({ method: e.target.value as MethodId })}>
            {DISTILL_METHODS.map((id) => <option key={id} value={id}>{METHODS[id].label}</option>)}
          </select>
        </label>
        <label>Epochs
          <input type="number" min={1} max={50} value={config.epochs} disabled={busy} onChange={num((v) => set({ epochs: Math.max(1, Math.round(v)) }))} />
        </label>
        <label>Training images (0 = all)
          <input type="number" min={0} step={1000} value={config.trainLimit} disabled={busy} onChange={num((v) => set({ trainLimit: Math.max(0, Math.round(v)) }))} />
        </label>
        <label>Seed
          <input type="number" value={config.seed} disabled={busy} onChange={num((v) => set({ seed: Math.round(v) }))} />
        </label>
      </div>
      <p className="hint">{METHODS[config.method].blurb}</p>
      <button type="button" className="primary" disabled={busy}
        onClick={() => { void runPilot(client, store, ['student-alone', config.method]); }}>
        {busy ? 'Pilot running…' : 'Run pilot'}
      </button>
    </section>
  );
}
