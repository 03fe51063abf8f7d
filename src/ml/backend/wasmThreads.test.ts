import { afterEach, describe, expect, it, vi } from 'vitest';
import { logicalCores, threadedBuildWorthIt, wasmAdapterLine, withLogicalCores } from './wasmThreads';

describe('wasm thread helpers', () => {
  afterEach(() => { vi.unstubAllGlobals(); });

  it('adapter line says why the pool has fewer threads than cores', () => {
    expect(wasmAdapterLine(true, true, 1, 2)).toBe('SIMD, 1 thread (threaded build; TF.js uses 1 of 2 cores)');
    expect(wasmAdapterLine(true, true, 2, 2)).toBe('SIMD, 2 threads');
    expect(wasmAdapterLine(true, false, 1, 8)).toBe('SIMD, 1 thread (single-threaded build)');
    expect(wasmAdapterLine(false, false, 1, 1)).toBe('no SIMD, 1 thread');
    expect(wasmAdapterLine(true, false, 1, 2)).toBe('SIMD, 1 thread (single-threaded build: TF.js would use 1 of 2 cores)');
  });

  it('the threaded binary (8 pthread workers) is loaded only where its pool gets more than one thread', () => {
    expect(threadedBuildWorthIt(2, false)).toBe(false); // stock pool: 2 / 2 = 1 thread
    expect(threadedBuildWorthIt(3, false)).toBe(false);
    expect(threadedBuildWorthIt(4, false)).toBe(true);
    expect(threadedBuildWorthIt(2, true)).toBe(true); // wasmAllCores: 2 threads on 2 cores
    expect(threadedBuildWorthIt(1, true)).toBe(false);
    expect(threadedBuildWorthIt(0, false)).toBe(false); // unknown core count
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
