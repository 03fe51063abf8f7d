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

  it('writes a stride plan only when one is named, and reads it back', () => {
    const photo: TrainConfig = { ...DEFAULT_CONFIG, student: { arch: 'resnet-s1', width: 12, depth: 1, plan: 'photo' } };
    expect(configToParams(photo)).toContainEqual(['plan', 'photo']);
    expect(configToParams(DEFAULT_CONFIG).map(([k]) => k)).not.toContain('plan');
    expect(parseConfigParams(new URLSearchParams(mergeIntoSearch('', photo))).config).toEqual(photo);
    const auto = parseConfigParams(new URLSearchParams('plan=auto')).config.student;
    expect('plan' in auto).toBe(false);
    expect(parseConfigParams(new URLSearchParams('plan=huge')).issues.join(' ')).toMatch(/stride plan/);
  });

  it('checks width against the student named in the same URL', () => {
    const r = parseConfigParams(new URLSearchParams('student=resnet-s1&width=32&depth=3'));
    expect(r.issues).toEqual([]);
    expect(r.config.student).toEqual({ arch: 'resnet-s1', width: 32, depth: 3 });
    expect(r.present).toBe(true);
  });
});

describe('trainer options in the URL (optimiser, augmentation, schedule)', () => {
  const parse = (s: string) => parseConfigParams(new URLSearchParams(s));

  it('round-trips SGD with its momentum and weight decay, one-cycle, and crop-flip on a greyscale dataset', () => {
    const c: TrainConfig = { ...custom, optimizer: 'sgd', momentum: 0.8, weightDecay: 1e-4, lrSchedule: 'one-cycle', augment: 'crop-flip' };
    const back = parse(mergeIntoSearch('', c));
    expect(back.issues).toEqual([]);
    expect(back.config).toEqual(c);
    expect(configToParams(c)).toEqual(expect.arrayContaining([['optimizer', 'sgd'], ['momentum', '0.8'], ['weightDecay', '0.0001'], ['schedule', 'one-cycle'], ['augment', 'crop-flip']]));
  });

  it('gives CIFAR-10 crop-flip and the digits none by default, and writes augment only when it differs from the dataset’s default', () => {
    expect(parse('dataset=cifar10').config.augment).toBe('crop-flip');
    expect(parse('dataset=mnist').config.augment).toBe('none');
    expect(parse('dataset=fashion-mnist').config.augment).toBe('none');
    const cifar: TrainConfig = { ...DEFAULT_CONFIG, dataset: 'cifar10', augment: 'crop-flip' };
    expect(configToParams(cifar).map(([k]) => k)).not.toContain('augment');
    expect(parse(mergeIntoSearch('', cifar)).config).toEqual(cifar);
    const plain: TrainConfig = { ...cifar, augment: 'none' };
    expect(configToParams(plain)).toContainEqual(['augment', 'none']);
    expect(parse(mergeIntoSearch('', plain)).config).toEqual(plain);
    // The augment parameter wins wherever it stands relative to the dataset.
    expect(parse('augment=none&dataset=cifar10').config.augment).toBe('none');
  });

  it('keeps the default pilot Adam without augmentation, and writes none of the new keys for it', () => {
    expect(DEFAULT_CONFIG.optimizer).toBe('adam');
    expect(DEFAULT_CONFIG.augment).toBe('none');
    const keys = configToParams(DEFAULT_CONFIG).map(([k]) => k);
    for (const k of ['optimizer', 'momentum', 'weightDecay', 'augment', 'schedule']) expect(keys).not.toContain(k);
  });

  it('refuses bad values, names the parameter and keeps the previous value', () => {
    const bad = parse('optimizer=rmsprop&momentum=1.5&weightDecay=-1&augment=mixup&schedule=step');
    expect(bad.config).toEqual(DEFAULT_CONFIG);
    expect(bad.issues).toHaveLength(5);
    expect(bad.issues[0]).toMatch(/schedule.*constant, cosine, one-cycle.*"step"/);
    expect(bad.issues[1]).toMatch(/optimizer.*adam, sgd.*"rmsprop"/);
    expect(bad.issues[2]).toMatch(/momentum.*between 0 and 0.999/);
    expect(bad.issues[3]).toMatch(/weightDecay.*between 0 and 0.1/);
    expect(bad.issues[4]).toMatch(/augment.*none, crop-flip.*"mixup"/);
    expect(parse('momentum=abc').issues[0]).toMatch(/must be a number/);
  });

  it('writes a run saved before these options existed as Adam without augmentation', () => {
    const { optimizer: _o, momentum: _m, weightDecay: _w, augment: _a, ...old } = DEFAULT_CONFIG;
    const back = parse(mergeIntoSearch('', old as TrainConfig));
    expect(back.issues).toEqual([]);
    expect(back.config).toEqual(DEFAULT_CONFIG);
  });
});
