import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../domain';
import { createStudioStore } from '../state/store';
import { parseStepLine, stepLine, STEPS } from './stepStatus';

describe('step summaries', () => {
  it('before any run: setup steps under way with their one-line summary, results to do', () => {
    const s = createStudioStore().getState();
    const dataset = parseStepLine(stepLine(s, 'step-dataset'));
    expect(dataset.state).toBe('active');
    expect(dataset.summary).toContain('MNIST digits: 28×28 greyscale, 10 classes');
    expect(parseStepLine(stepLine(s, 'step-student')).summary).toMatch(/^Plain CNN student \(width 8, depth 1\), RTK, \d+ epochs?, batch \d+$/);
    expect(parseStepLine(stepLine(s, 'step-train'))).toEqual({ state: 'todo', summary: 'press Run pilot' });
    expect(parseStepLine(stepLine(s, 'step-card')).state).toBe('todo');
    expect(STEPS.map((x) => x.id)).toContain('explorer');
  });

  it('after a finished run: setup steps done, training lists the accuracies', () => {
    const store = createStudioStore();
    store.getState().addRun('r1', { ...DEFAULT_CONFIG, method: 'student-alone' });
    store.getState().updateRun('r1', { state: 'done', result: { testAccuracy: 0.855 } as never });
    const s = store.getState();
    expect(parseStepLine(stepLine(s, 'step-dataset')).state).toBe('done');
    expect(parseStepLine(stepLine(s, 'step-train'))).toEqual({ state: 'done', summary: '1 run finished: Student alone 85.50%' });
    expect(parseStepLine(stepLine(s, 'step-card')).state).toBe('done');
  });

  it('while a run trains, training is the step under way and says what runs', () => {
    const store = createStudioStore();
    store.getState().addRun('r2', DEFAULT_CONFIG);
    store.getState().updateRun('r2', { state: 'running', message: 'Training on wasm' });
    expect(parseStepLine(stepLine(store.getState(), 'step-train'))).toEqual({ state: 'active', summary: 'RTK: Training on wasm' });
  });
});

describe('step 2 with an imported teacher', () => {
  it('names the own teacher and its baseline, not the shipped teacher of the dataset', () => {
    const store = createStudioStore();
    const info = { fingerprint: 'fp1', name: 'photo-mobilenet-v2', format: 'onnx' } as never;
    store.getState().setOwnTeacher({ status: 'ready', info });
    store.getState().setConfig({ importedTeacher: { fingerprint: 'fp1', taps: [], preprocess: 'imagenet' } });
    expect(parseStepLine(stepLine(store.getState(), 'step-teacher'))).toEqual({ state: 'active', summary: 'photo-mobilenet-v2 (your own, ONNX model), baseline not measured yet' });
    const dataset = store.getState().config.dataset;
    store.getState().setOwnTeacher({ baseline: { fingerprint: 'fp1', accuracy: 0.9, images: 1000, dataset } as never });
    const line = parseStepLine(stepLine(store.getState(), 'step-teacher'));
    expect(line.summary).toBe('photo-mobilenet-v2 (your own, ONNX model), test accuracy 90.00% on 1,000 images');
    expect(line.summary).not.toContain('no teacher');
  });

  it('on a second visit (the own teacher gone with its tab, its choice kept) says which teacher taught the runs and to import it again', () => {
    const store = createStudioStore();
    store.getState().setConfig({ importedTeacher: { fingerprint: 'fp1', taps: [], preprocess: 'imagenet' } });
    expect(parseStepLine(stepLine(store.getState(), 'step-teacher'))).toEqual({ state: 'todo', summary: 'your own teacher: import its files again (not loaded in this tab)' });
    const { dataset } = store.getState().config;
    store.getState().addRun('r1', { ...store.getState().config, method: 'rtk' });
    store.getState().updateRun('r1', { teacherCard: { dataset, imported: { name: 'photo-mobilenet-v2', format: 'onnx', fingerprint: 'fp1' } } as never });
    expect(parseStepLine(stepLine(store.getState(), 'step-teacher'))).toEqual({
      state: 'todo', summary: 'your own teacher photo-mobilenet-v2 (ONNX model) taught the runs here: import its files again to distil from it',
    });
    // Those runs are still this experiment's: training lists them.
    store.getState().updateRun('r1', { state: 'done', result: { testAccuracy: 0.2 } as never });
    expect(parseStepLine(stepLine(store.getState(), 'step-train'))).toEqual({ state: 'done', summary: '1 run finished: RTK 20.00%' });
  });
});
