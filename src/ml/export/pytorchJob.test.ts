import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type TrainConfig } from '../../domain';
import { loadDatasetNode } from '../data/loadNode';
import { buildModel } from '../models';
import { buildPytorchJob } from './pytorchJob';

const dec = new TextDecoder();

describe('PyTorch job export', () => {
  it('writes the job folder with config presets, weights and a golden batch of the exported weights', async () => {
    const ds = await loadDatasetNode(path.resolve('public/datasets'), 'digits', { trainLimit: 64, testLimit: 8 });
    const config: TrainConfig = { ...DEFAULT_CONFIG, dataset: 'digits', teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'mobile-s1', width: 4, depth: 1 } };
    const teacher = buildModel(config.teacher, ds.shape, ds.numClasses, 5);
    const files = await buildPytorchJob({ config, ds, teacher, sources: { 'train.py': '# job' }, dataRoot: '/data' });
    expect(Object.keys(files).sort()).toEqual(['attention_init.bin', 'attention_init.json', 'config.json', 'golden.json',
      'student_init/model.json', 'student_init/weights.bin', 'teacher/model.json', 'teacher/weights.bin', 'train.py']);
    const cfg = JSON.parse(dec.decode(files['config.json']));
    expect(cfg.presets.pilot).toMatchObject({ epochs: 1, batchSize: 64, optimizer: { name: 'adam', lr: 0.02 }, schedule: 'cosine', augment: 'none' });
    expect(cfg.presets['full-run']).toMatchObject({ epochs: 240, optimizer: { name: 'sgd', momentum: 0.9 } });
    // The session's k: min(k, S − 1) with S = 3 student taps, the default k otherwise.
    expect(cfg.options.rtk.k).toBe(Math.min(DEFAULT_CONFIG.options.rtk.k, 2));
    const golden = JSON.parse(dec.decode(files['golden.json']));
    const [T, S, B] = [3, 3, 8];
    expect(golden.alpha).toHaveLength(B * T * S);
    expect(golden.mask).toHaveLength(B * T);
    expect(golden.teacher.taps.map((t: { shape: number[] }) => t.shape)).toEqual([[8, 4, 4, 8], [8, 2, 2, 16], [8, 1, 1, 32]]);
    expect(Number.isFinite(golden.losses.rtk)).toBe(true);
    teacher.model.dispose();
  });

  it('refuses a teacher the job cannot rebuild, and says why', async () => {
    const ds = await loadDatasetNode(path.resolve('public/datasets'), 'digits', { trainLimit: 16, testLimit: 8 });
    const odd = buildModel({ arch: 'cnn-s1', width: 4, depth: 1 }, ds.shape, ds.numClasses, 1);
    await expect(buildPytorchJob({ config: { ...DEFAULT_CONFIG, dataset: 'digits' }, ds, teacher: odd, sources: {}, dataRoot: '.' }))
      .rejects.toThrow(/This teacher cannot be exported to PyTorch yet.*resnet-t1.*imported ONNX/);
    odd.model.dispose();
  });

  it("writes the pilot's SGD, one-cycle schedule and crop-flip augmentation into the pilot preset", async () => {
    const ds = await loadDatasetNode(path.resolve('public/datasets'), 'digits', { trainLimit: 16, testLimit: 8 });
    const config: TrainConfig = { ...DEFAULT_CONFIG, dataset: 'digits', teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 },
      optimizer: 'sgd', momentum: 0.8, weightDecay: 1e-4, lrSchedule: 'one-cycle', augment: 'crop-flip', learningRate: 0.05 };
    const teacher = buildModel(config.teacher, ds.shape, ds.numClasses, 5);
    const files = await buildPytorchJob({ config, ds, teacher, sources: {}, dataRoot: '/data' });
    const cfg = JSON.parse(dec.decode(files['config.json']));
    expect(cfg.presets.pilot).toMatchObject({ optimizer: { name: 'sgd', lr: 0.05, momentum: 0.8, weightDecay: 1e-4, nesterov: false },
      schedule: 'one-cycle', augment: 'crop-flip' });
    teacher.model.dispose();
  });
});
