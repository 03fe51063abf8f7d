import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo, TrainConfig } from '../domain';
import { DEFAULT_CONFIG } from '../domain';
import { initBackend } from '../ml/backend/select';
import { memoryCache } from '../ml/backend/speedChoice';
import { loadDatasetNode } from '../ml/data/loadNode';
import type { Dataset } from '../ml/types';
import { chooseForRun, configShape, timeConfig } from './backendChoice';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let digits: Dataset;
let wasmInfo: BackendInfo;

beforeAll(async () => {
  wasmInfo = await initBackend('wasm');
  await initBackend('cpu');
  digits = await loadDatasetNode(DATA, 'digits');
});

const config = (patch: Partial<TrainConfig> = {}): TrainConfig => ({
  ...DEFAULT_CONFIG, dataset: 'digits', batchSize: 32, method: 'rtk',
  teacher: { arch: 'resnet-t1', width: 8, depth: 1 }, student: { arch: 'cnn-s1', width: 4, depth: 1 }, ...patch,
});

describe('choosing the backend by speed', () => {
  it('times real steps of the configuration on each candidate, keeps the fastest (wasm over cpu), and caches the choice', async () => {
    const info: BackendInfo = { backend: 'cpu', adapter: null, fallbacks: [], candidates: [{ backend: 'cpu', adapter: null }, { backend: 'wasm', adapter: wasmInfo.adapter }] };
    const cache = memoryCache();
    const logs: string[] = [];
    const before = tf.memory().numTensors;
    const chosen = (await chooseForRun(info, config(), digits, cache, (s) => logs.push(s)))!;
    expect(chosen.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(chosen.adapter).toBe(wasmInfo.adapter);
    expect(chosen.speed!.cached).toBe(false);
    const byBackend = Object.fromEntries(chosen.speed!.trials.map((t) => [t.backend, t.samplesPerSec]));
    expect(byBackend.wasm).toBeGreaterThan(byBackend.cpu);
    expect(chosen.speed!.reason).toMatch(/^wasm trained fastest: \d+ samples\/s vs cpu \d+/);
    expect(chosen.speed!.shape).toBe('rtk, 8×8×1→10, student cnn-s1 w4 d1, teacher resnet-t1 w8 d1, batch 32');
    expect(logs.filter((l) => l.startsWith('speed trial'))).toHaveLength(2);
    // Same shape again (another seed, learning rate): from the cache, nothing timed.
    await tf.setBackend('cpu');
    logs.length = 0;
    const again = (await chooseForRun(info, config({ seed: 9, learningRate: 0.01 }), digits, cache, (s) => logs.push(s)))!;
    expect(logs).toEqual([]);
    expect(again.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(again.speed!.cached).toBe(true);
    expect(again.speed!.reason).toContain('timed earlier');
    // Another shape (student alone) is timed on its own.
    const other = (await chooseForRun(info, config({ method: 'student-alone' }), digits, cache, (s) => logs.push(s)))!;
    expect(other.speed!.cached).toBe(false);
    expect(logs.filter((l) => l.startsWith('speed trial'))).toHaveLength(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with one candidate it times nothing', async () => {
    const info: BackendInfo = { backend: 'wasm', adapter: null, fallbacks: [], candidates: [{ backend: 'wasm', adapter: null }] };
    expect(await chooseForRun(info, config(), digits, memoryCache())).toBeNull();
  });

  it('the shape key separates what changes the cost of a step', () => {
    const a = configShape(config(), digits);
    expect(configShape(config({ batchSize: 64 }), digits)).not.toBe(a);
    expect(configShape(config({ student: { arch: 'cnn-s1', width: 8, depth: 1 } }), digits)).not.toBe(a);
    expect(configShape(config({ seed: 4 }), digits)).toBe(a);
    expect(configShape(config({ method: 'student-alone' }), digits)).not.toContain('teacher');
  });

  it('timeConfig gives a positive rate and leaks nothing', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const r = await timeConfig(config({ method: 'kd', batchSize: 8 }), digits, 2);
    expect(r).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
