import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../domain';
import { configToParams, mergeIntoSearch, parseConfigParams } from './configUrl';

const custom: TrainConfig = {
  ...DEFAULT_CONFIG,
  dataset: 'fashion-mnist', method: 'kd', student: { arch: 'mobile-s1', width: 12, depth: 2 },
  options: {
    kd: { alpha: 0.5, tau: 2.5 }, at: { betaAt: 500 }, afd: { beta: 50, attnDim: 32 },
    rtk: { importance: 'keys', k: 1, threshold: 0.35, granularity: 'batch', warmupEpochs: 1 },
  },
  epochs: 3, batchSize: 64, learningRate: 0.001, lrSchedule: 'constant', seed: 7, trainLimit: 3000, testLimit: 1000,
  valFraction: 0.2, backend: 'wasm',
};

describe('configuration in the URL', () => {
  it('round-trips every field', () => {
    const search = mergeIntoSearch('', custom);
    const back = parseConfigParams(new URLSearchParams(search));
    expect(back.issues).toEqual([]);
    expect(back.config).toEqual(custom);
  });

  it('writes the main settings always, options only when they differ, and round-trips the defaults', () => {
    const keys = (c: TrainConfig) => configToParams(c).map(([k]) => k);
    expect(keys(DEFAULT_CONFIG)).toEqual(['dataset', 'method', 'student', 'width', 'depth', 'epochs', 'batchSize', 'lr', 'seed']);
    expect(configToParams({ ...DEFAULT_CONFIG, seed: 3 })).toContainEqual(['seed', '3']);
    expect(keys({ ...DEFAULT_CONFIG, trainLimit: 10 })).toContain('trainLimit');
    expect(keys(DEFAULT_CONFIG)).not.toContain('alpha');
    expect(parseConfigParams(new URLSearchParams('')).config).toEqual(DEFAULT_CONFIG);
  });

  it('keeps the "mean" threshold and numeric thresholds apart', () => {
    const c = { ...DEFAULT_CONFIG, options: { ...DEFAULT_CONFIG.options, rtk: { ...DEFAULT_CONFIG.options.rtk, threshold: 0.2 } } };
    expect(parseConfigParams(new URLSearchParams(mergeIntoSearch('', c))).config.options.rtk.threshold).toBe(0.2);
  });

  it('keeps parameters that are not configuration and drops the old JSON form', () => {
    const s = mergeIntoSearch('?autorun=pilot&presenter=1&config=%7B%7D&seed=9', { ...DEFAULT_CONFIG, seed: 4 });
    const q = new URLSearchParams(s);
    expect(q.get('autorun')).toBe('pilot');
    expect(q.get('presenter')).toBe('1');
    expect(q.get('config')).toBeNull();
    expect(q.get('seed')).toBe('4');
  });

  it('refuses bad values with a message naming the parameter, and keeps the default', () => {
    const r = parseConfigParams(new URLSearchParams('epochs=0&dataset=imagenet&width=999&k=12&threshold=high&lr=abc&seed=2'));
    expect(r.config.epochs).toBe(DEFAULT_CONFIG.epochs);
    expect(r.config.dataset).toBe('mnist');
    expect(r.config.student.width).toBe(DEFAULT_CONFIG.student.width);
    expect(r.config.options.rtk.k).toBe(DEFAULT_CONFIG.options.rtk.k);
    expect(r.config.options.rtk.threshold).toBe('mean');
    expect(r.config.learningRate).toBe(DEFAULT_CONFIG.learningRate);
    expect(r.config.seed).toBe(2);
    expect(r.issues).toHaveLength(6);
    expect(r.issues.join('\n')).toMatch(/epochs.*between 1 and/);
    expect(r.issues.join('\n')).toMatch(/dataset.*imagenet/);
    expect(r.issues.join('\n')).toMatch(/width of Plain CNN student must be between 4 and 32, got 999/);
  });

  it('checks width against the student named in the same URL', () => {
    const r = parseConfigParams(new URLSearchParams('student=resnet-s1&width=32&depth=3'));
    expect(r.issues).toEqual([]);
    expect(r.config.student).toEqual({ arch: 'resnet-s1', width: 32, depth: 3 });
    expect(r.present).toBe(true);
  });
});
