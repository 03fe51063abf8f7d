import { afterEach, describe, expect, it, vi } from 'vitest';
import { logicalCores, wasmAdapterLine, withLogicalCores } from './wasmThreads';

describe('wasm thread helpers', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('adapter line says why the pool has fewer threads than cores', () => {
    expect(wasmAdapterLine(true, true, 1, 2)).toBe('SIMD, 1 thread (threaded build; TF.js uses 1 of 2 cores)');
    expect(wasmAdapterLine(true, true, 2, 2)).toBe('SIMD, 2 threads');
    expect(wasmAdapterLine(true, false, 1, 8)).toBe('SIMD, 1 thread (single-threaded build)');
    expect(wasmAdapterLine(false, false, 1, 1)).toBe('no SIMD, 1 thread');
  });

  it('withLogicalCores doubles hardwareConcurrency only while init runs, then restores it', async () => {
    // A stand-in with the browser's shape: the count is a getter on the prototype.
    class FakeNavigator { get hardwareConcurrency() { return 2; } }
    vi.stubGlobal('navigator', new FakeNavigator());
    const cores = logicalCores();
    expect(cores).toBe(2);
    let seen = -1;
    const r = await withLogicalCores(async () => {
      seen = navigator.hardwareConcurrency;
      return 7;
    });
    expect(r).toBe(7);
    expect(seen).toBe(4);
    expect(navigator.hardwareConcurrency).toBe(cores);
    await expect(withLogicalCores(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(navigator.hardwareConcurrency).toBe(cores);
  });
});
