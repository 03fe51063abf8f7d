import { describe, expect, it } from 'vitest';
import { runFromJobCard } from './jobImport';
import { createStudioStore } from './store';
import { methodStats } from './verdict';
import { DEFAULT_CONFIG } from '../domain';

const test = { epoch: 0, split: 'test', accuracy: 0.9, perClassAccuracy: [], confusion: [], numClasses: 10, keys: null };
const card = {
  kind: 'rtk-distillation-card', ranOn: { label: 'PyTorch job · 2 processes · gloo · cpu', processes: 2 }, dataset: 'mnist', method: 'rtk',
  run: { runId: 'job-1', seed: 1, testAccuracy: 0.9 }, evals: [test], result: { testAccuracy: 0.9, valAccuracy: null, test, studentCosts: null, wallMs: 1, checkpointEpoch: 1 },
  config: DEFAULT_CONFIG, budget: { epochs: 240 },
};

describe('runFromJobCard', () => {
  it('makes a finished run labelled with where it ran, kept out of the browser seeds', () => {
    const r = runFromJobCard('distillation-card.json', JSON.stringify(card));
    expect(r).toMatchObject({ runId: 'job-1', method: 'rtk', state: 'done', origin: 'PyTorch job · 2 processes · gloo · cpu' });
    expect(r.config.epochs).toBe(240);
    const store = createStudioStore();
    store.getState().importRun(r);
    store.getState().importRun(r);
    expect(store.getState().runOrder).toEqual(['job-1']);
    expect(methodStats([r], { ...DEFAULT_CONFIG, epochs: 240 }, 'rtk')).toBeNull();
  });

  it('refuses what is not a job card, naming the file', () => {
    expect(() => runFromJobCard('x.json', '{')).toThrow(/x.json: not JSON/);
    expect(() => runFromJobCard('c.json', JSON.stringify({ ...card, ranOn: undefined }))).toThrow(/c.json: this card is from a browser run/);
    expect(() => runFromJobCard('c.json', JSON.stringify({ ...card, result: undefined }))).toThrow(/no finished result/);
    expect(() => runFromJobCard('c.json', JSON.stringify({ ...card, kind: 'other' }))).toThrow(/not a distillation card/);
  });
});
