import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, forgetDataset, registerDataset, type ProgressReport } from '../domain';
import { appendCurve, MAX_CURVE_POINTS } from './curves';
import { experimentToSave, resultArrived, reviveRuns, storageErrorText, worthSaving } from './persist';
import { runsInView, selectActiveRun } from './selectors';
import { createStudioStore } from './store';

const progress = (step: number): ProgressReport => ({
  epoch: 0, step, stepsPerEpoch: 10, totalSteps: 30, elapsedMs: step * 10, samplesPerSec: 1,
  loss: { total: 1 / step, ce: 1 / step, kd: 0, feat: 0 }, trainAccuracy: 0.5,
});

describe('studio store', () => {
  it('patches the student and one method option without touching the rest', () => {
    const st = createStudioStore();
    st.getState().setStudent({ width: 16 });
    st.getState().setOptions('rtk', { k: 1 });
    const c = st.getState().config;
    expect(c.student).toEqual({ ...DEFAULT_CONFIG.student, width: 16 });
    expect(c.options.rtk).toEqual({ ...DEFAULT_CONFIG.options.rtk, k: 1 });
    expect(c.options.kd).toBe(DEFAULT_CONFIG.options.kd);
  });

  it('on photos a student change brings its batch until the batch is set by hand', () => {
    const id = 'user-00000000000000ac' as const;
    registerDataset({ id, label: 'photos (imported)', shape: [224, 224, 3], numClasses: 10, classNames: [], pixelMax: 255, builtIn: false });
    try {
      const st = createStudioStore();
      st.getState().setConfig({ dataset: id });
      expect(st.getState().config.batchSize).toBe(8);
      st.getState().setStudent({ width: 8 });
      expect(st.getState().config.batchSize).toBe(32);
      st.getState().setConfig({ batchSize: 12 });
      st.getState().setStudent({ width: 24 });
      expect(st.getState().config.batchSize).toBe(12);
    } finally {
      forgetDataset(id);
    }
  });

  it('records a curve point per progress report', () => {
    const st = createStudioStore();
    st.getState().addRun('r1', DEFAULT_CONFIG);
    for (const s of [1, 2, 3]) st.getState().updateRun('r1', { progress: progress(s) });
    st.getState().updateRun('r1', { state: 'running' });
    expect(st.getState().runs.r1.curve.map((p) => p.step)).toEqual([1, 2, 3]);
  });

  it('a resumed run replaces the replayed part of its curve; long curves are thinned', () => {
    let c = [1, 2, 3, 4, 5].reduce((acc, s) => appendCurve(acc, progress(s)), [] as ReturnType<typeof appendCurve>);
    c = appendCurve(c, progress(3));
    expect(c.map((p) => p.step)).toEqual([1, 2, 3]);
    let long = c;
    for (let s = 4; s < 4 + MAX_CURVE_POINTS; s++) long = appendCurve(long, progress(s));
    expect(long.length).toBeLessThanOrEqual(MAX_CURVE_POINTS);
    expect(long[long.length - 1].step).toBe(3 + MAX_CURVE_POINTS);
  });

  it('restored runs come first, are marked, and never count as active', () => {
    const st = createStudioStore();
    st.getState().addRun('now', DEFAULT_CONFIG);
    const saved = experimentToSave({ config: DEFAULT_CONFIG, runs: { old: { ...st.getState().runs.now, runId: 'old', state: 'running', progress: progress(25), curve: [1, 10, 20, 25].map((s) => appendCurve([], progress(s))[0]) } }, runOrder: ['old'], plan: null });
    const { runs, offer } = reviveRuns(saved, new Map([['old', 2]]));
    expect(offer).toBeNull(); // all epochs were saved: nothing to resume
    st.getState().restoreRuns(runs);
    expect(st.getState().runOrder).toEqual(['old', 'now']);
    expect(st.getState().runs.old.restored).toBe(true);
    expect(st.getState().runs.old.state).toBe('stopped');
    expect(st.getState().runs.old.curve.map((p) => p.step)).toEqual([1, 10, 20]);
    st.getState().updateRun('now', { state: 'done' });
    expect(selectActiveRun(st.getState())).toBeNull();
  });

  it('offers to resume an interrupted run from its last finished epoch', () => {
    const st = createStudioStore();
    st.getState().addRun('r', { ...DEFAULT_CONFIG, epochs: 3 });
    st.getState().updateRun('r', { state: 'running' });
    const saved = experimentToSave(st.getState());
    expect(reviveRuns(saved, new Map([['r', 1]])).offer).toEqual({ runId: 'r', method: 'rtk', epoch: 1, epochs: 3 });
    expect(reviveRuns(saved, new Map()).offer).toBeNull();
    expect(reviveRuns(saved, new Map()).runs[0].message).toMatch(/before its first epoch/);
  });

  it('autosaves on state changes and finished runs, not on an unfinished run\'s progress', () => {
    const st = createStudioStore();
    const changed = (act: () => void) => { const prev = st.getState(); act(); return worthSaving(st.getState(), prev); };
    expect(changed(() => st.getState().addRun('r', DEFAULT_CONFIG))).toBe(true);
    expect(changed(() => st.getState().updateRun('r', { state: 'running' }))).toBe(true);
    expect(changed(() => st.getState().updateRun('r', { progress: progress(1) }))).toBe(false);
    expect(changed(() => st.getState().updateRun('r', { progress: progress(2) }))).toBe(false);
    expect(changed(() => st.getState().setOptions('rtk', { k: 1 }))).toBe(true);
    expect(changed(() => st.getState().updateRun('r', { state: 'done' }))).toBe(true);
    // Once finished, anything a run gains (its result, an imported evaluation) is saved.
    expect(changed(() => st.getState().updateRun('r', { message: 'finished' }))).toBe(true);
  });

  it('saves at once when a run gets its result (a reload right after a pilot keeps it)', () => {
    const st = createStudioStore();
    const arrived = (act: () => void) => { const prev = st.getState(); act(); return resultArrived(st.getState(), prev); };
    expect(arrived(() => st.getState().addRun('r', DEFAULT_CONFIG))).toBe(false);
    expect(arrived(() => st.getState().updateRun('r', { state: 'done' }))).toBe(false);
    const result = { testAccuracy: 0.5 } as never;
    expect(arrived(() => st.getState().updateRun('r', { result }))).toBe(true);
    expect(arrived(() => st.getState().updateRun('r', { message: 'finished' }))).toBe(false);
  });

  it('names storage failures and what still works', () => {
    expect(storageErrorText(Object.assign(new Error('x'), { name: 'QuotaExceededError' }))).toMatch(/full.*keeps working/);
    expect(storageErrorText(Object.assign(new Error('IndexedDB is not available.'), { name: 'unavailable' }))).toMatch(/not available.*keeps working/);
  });

  it('charts show the latest run of each method unless runs are chosen', () => {
    const st = createStudioStore();
    for (const [id, m] of [['a', 'student-alone'], ['b', 'rtk'], ['c', 'rtk']] as const) st.getState().addRun(id, { ...DEFAULT_CONFIG, method: m });
    const s = st.getState();
    expect(runsInView(s.runs, s.runOrder, null).map((r) => r.runId)).toEqual(['a', 'c']);
    expect(runsInView(s.runs, s.runOrder, ['b']).map((r) => r.runId)).toEqual(['b']);
  });
});

describe('the augmentation follows the dataset', () => {
  it('switching to CIFAR-10 turns crop-flip on, back to MNIST turns it off, and a named choice is kept', () => {
    const st = createStudioStore();
    expect(st.getState().config.augment).toBe('none');
    st.getState().setConfig({ dataset: 'cifar10' });
    expect(st.getState().config.augment).toBe('crop-flip');
    st.getState().setConfig({ dataset: 'mnist' });
    expect(st.getState().config.augment).toBe('none');
    st.getState().setConfig({ dataset: 'cifar10', augment: 'none' });
    expect(st.getState().config.augment).toBe('none');
    st.getState().setConfig({ seed: 3 });
    expect(st.getState().config.augment).toBe('none');
    expect(st.getState().config.optimizer).toBe(DEFAULT_CONFIG.optimizer);
  });
});
