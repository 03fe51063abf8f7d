import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './select';

describe('initBackend (node)', () => {
  it('auto falls back past webgpu and webgl to wasm, with reasons and an adapter line', async () => {
    const lines: string[] = [];
    const before = tf.memory().numTensors;
    const info = await initBackend('auto', { log: (s) => lines.push(s) });
    expect(info.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.adapter).toMatch(/SIMD, \d+ threads?/);
    expect(info.fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect(info.candidates).toEqual([{ backend: 'wasm', adapter: info.adapter }]);
    expect(info.fallbacks[0].reason).toContain('navigator.gpu is missing');
    expect(info.fallbacks[1].reason.length).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThanOrEqual(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a named backend that cannot work throws with the reason', async () => {
    await expect(initBackend('webgpu', {})).rejects.toThrow(/webgpu.*navigator\.gpu is missing/);
  });

  it('cpu is accepted with a null adapter', async () => {
    const info = await initBackend('cpu', {});
    expect(info).toEqual({ backend: 'cpu', adapter: null, fallbacks: [] });
  });
});
