import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../domain';
import { createStudioStore } from '../../state/store';
import { parseAttentionRuns, pickRun, selectAttentionRunsKey } from './data';
import { useExplorerStore } from './explorerStore';

describe('explorer store', () => {
  it('keeps k and threshold as plain values, "mean" for anything not finite', () => {
    const st = useExplorerStore.getState();
    st.setK(2.6);
    st.setThreshold(0.4);
    expect(useExplorerStore.getState()).toMatchObject({ k: 3, threshold: 0.4 });
    st.setThreshold(Number.NaN);
    st.setK(null);
    expect(useExplorerStore.getState()).toMatchObject({ k: null, threshold: 'mean' });
    st.reset();
    expect(useExplorerStore.getState().runId).toBeNull();
  });
});

describe('choice of the run shown', () => {
  const store = createStudioStore();
  const st = store.getState();
  st.addRun('alone-1', { ...DEFAULT_CONFIG, method: 'student-alone' });
  st.addRun('rtk-1', { ...DEFAULT_CONFIG, method: 'rtk' });
  st.addRun('afd-1', { ...DEFAULT_CONFIG, method: 'afd' });
  const keys = { T: 1, S: 2, teacherTaps: ['t'], studentTaps: ['a', 'b'], attention: [0.5, 0.5], influence: [0.5], influencePerClass: [],
    attentionPerClass: [], images: 1, kept: [1], k: 1, tau: 0.5 };
  st.addEval('rtk-1', { epoch: 0, split: 'test', accuracy: 1, perClassAccuracy: [], confusion: [], numClasses: 1, keys });
  st.updateRun('rtk-1', { state: 'done' });
  st.updateRun('afd-1', { state: 'failed' });

  it('lists attention runs only, with state and whether they have keys', () => {
    const runs = parseAttentionRuns(selectAttentionRunsKey(store.getState()));
    expect(runs).toEqual([
      { runId: 'rtk-1', method: 'rtk', state: 'done', hasKeys: true, seed: 1, dataset: 'mnist' },
      { runId: 'afd-1', method: 'afd', state: 'failed', hasKeys: false, seed: 1, dataset: 'mnist' },
    ]);
    // Runs of another dataset stay out of the explorer (they remain in the runs table).
    store.getState().setConfig({ dataset: 'cifar10' });
    expect(parseAttentionRuns(selectAttentionRunsKey(store.getState()))).toEqual([]);
    store.getState().setConfig({ dataset: 'mnist' });
    expect(parseAttentionRuns('')).toEqual([]);
  });

  it('progress reports do not change the key (no re-render)', () => {
    const before = selectAttentionRunsKey(store.getState());
    st.updateRun('rtk-1', { message: 'something else' });
    expect(selectAttentionRunsKey(store.getState())).toBe(before);
  });

  it('prefers the user pick, then an active run, then the latest with keys', () => {
    const runs = parseAttentionRuns(selectAttentionRunsKey(store.getState()));
    expect(pickRun(runs, null)?.runId).toBe('rtk-1');
    expect(pickRun(runs, 'afd-1')?.runId).toBe('afd-1');
    expect(pickRun(runs, 'gone')?.runId).toBe('rtk-1');
    expect(pickRun([...runs, { runId: 'rtk-2', method: 'rtk', state: 'paused', hasKeys: false, seed: 2, dataset: 'mnist' }], null)?.runId).toBe('rtk-2');
    expect(pickRun([], null)).toBeNull();
  });
});
