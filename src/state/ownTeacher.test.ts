import { describe, expect, it } from 'vitest';
import type { ImportedTeacherInfo, TeacherBaseline } from '../domain';
import { ownTeacherCard, selectActiveTeacherCard, selectCardTeacher } from './ownTeacher';
import { experimentToSave, reviveRuns } from './persist';
import { createStudioStore } from './store';

const info: ImportedTeacherInfo = {
  fingerprint: 'abc', format: 'onnx', name: 'fashion-resnet', files: ['fashion-resnet.onnx'], inputShape: [28, 28, 1], layout: 'NCHW', numClasses: 10,
  logitsName: 'logits', softmaxOutput: false, taps: [], defaultTaps: [], labels: null,
  costs: { params: 77_000, flopsPerImage: 18e6, bytes: { fp32: 308_000, fp16: 154_000, int8: 77_000 } }, uncountedOps: [], notes: [],
};
const baseline: TeacherBaseline = { fingerprint: 'abc', accuracy: 0.9024, images: 10_000, preprocess: 'unit', latency: null, runsOn: 'a second worker on onnxruntime-web (wasm)' };

/** A store on Fashion-MNIST with no shipped teacher card ('missing') and the imported teacher loaded (not yet chosen). */
function withOwnTeacher() {
  const store = createStudioStore();
  store.getState().setConfig({ dataset: 'fashion-mnist' });
  const missing = { status: 'missing' as const, message: 'none' };
  store.getState().setTeacherCard('fashion-mnist', missing);
  const card = ownTeacherCard(info, baseline, 'fashion-mnist', ['/stage3/Relu_1_output_0']);
  return { store, missing, card, load: () => store.getState().setOwnTeacher({ status: 'ready', info, card }) };
}

describe('the active teacher card (what the pilot card and exports read)', () => {
  it('is the shipped card until an imported teacher is chosen, then the imported one measured on this dataset', () => {
    const { store, missing: shipped, card, load } = withOwnTeacher();
    expect(selectActiveTeacherCard(store.getState())).toBe(shipped);
    load();
    store.getState().setConfig({ importedTeacher: { fingerprint: 'abc', taps: ['/stage3/Relu_1_output_0'], preprocess: 'unit' } });
    const active = selectActiveTeacherCard(store.getState());
    expect(active).toBe(card);
    expect(active?.status === 'ok' && active.card.imported).toMatchObject({ name: 'fashion-resnet', fingerprint: 'abc', files: ['fashion-resnet.onnx'] });
    // Measured on another dataset: no card until it is measured here.
    store.getState().setConfig({ dataset: 'mnist' });
    expect(selectActiveTeacherCard(store.getState())).toBeUndefined();
  });
});

describe('the teacher a second visit shows (selectCardTeacher)', () => {
  it('is the own teacher recorded with its runs once the tab that imported it is gone', () => {
    const { store, missing: none, card, load } = withOwnTeacher();
    load();
    store.getState().setConfig({ importedTeacher: { fingerprint: 'abc', taps: ['/stage3/Relu_1_output_0'], preprocess: 'unit' } });
    store.getState().addRun('r1', { ...store.getState().config, method: 'rtk' });
    expect(store.getState().runs.r1.teacherCard).toBe(card.status === 'ok' ? card.card : null);

    // The next visit: the runs come back from storage, the imported teacher does not.
    const saved = JSON.parse(JSON.stringify(experimentToSave(store.getState())));
    const next = createStudioStore();
    next.getState().restoreRuns(reviveRuns(saved, new Map()).runs);
    next.getState().setConfig({ ...saved.config, importedTeacher: null });
    next.getState().setTeacherCard('fashion-mnist', none);
    expect(selectActiveTeacherCard(next.getState())).toBe(none);
    const shown = selectCardTeacher(next.getState());
    expect(shown?.status === 'ok' && shown.card.imported).toMatchObject({ name: 'fashion-resnet', fingerprint: 'abc' });
    expect(shown?.status === 'ok' && shown.card.testAccuracy).toBe(0.9024);
    expect(selectCardTeacher(next.getState())).toBe(shown); // a held value for the selectors
    // On another dataset the recorded teacher is not shown.
    next.getState().setConfig({ dataset: 'mnist' });
    expect(selectCardTeacher(next.getState())).toBe(selectActiveTeacherCard(next.getState()));
    // The choice kept on reload (persistence.ts), the teacher not loaded: its recorded card; another
    // teacher chosen: not this one's.
    next.getState().setConfig({ ...saved.config });
    expect(selectActiveTeacherCard(next.getState())).toBeUndefined();
    expect(selectCardTeacher(next.getState())).toBe(shown);
    next.getState().setConfig({ importedTeacher: { fingerprint: 'other', taps: [], preprocess: 'unit' } });
    expect(selectCardTeacher(next.getState())).toBeUndefined();
  });

  it('records nothing for a shipped teacher (its card comes back from public/)', () => {
    const store = createStudioStore();
    store.getState().addRun('r1', { ...store.getState().config, method: 'rtk' });
    expect(store.getState().runs.r1.teacherCard).toBeUndefined();
  });
});
