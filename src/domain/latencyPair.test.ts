import { describe, expect, it } from 'vitest';
import { latencyPairStats, speedPhrase } from './latencyPair';

describe('latencyPairStats', () => {
  it('states the ratio of the quiet runs with the interval of their bands', () => {
    const t = [8, 8.2, 7.9, 8.1, 8, 8.3, 7.8, 8, 8.1, 8];
    const s = [1, 1.05, 0.98, 1, 1.02, 1, 0.97, 1, 1.01, 1];
    const p = latencyPairStats(t, s, 'wasm', [5, 40]);
    expect(p.ratio).toBeCloseTo(8, 0);
    expect(p.low).toBeLessThanOrEqual(p.ratio);
    expect(p.high).toBeGreaterThanOrEqual(p.ratio);
    expect(p.busy).toBe(false);
    expect(speedPhrase(p)).toMatch(/^8\.\d× faster here \(7\.\d–8\.\d×\)$/);
  });
  it('is not moved by disturbed blocks, which only add time', () => {
    const t = [8, 30, 8, 8.1, 8, 40, 8, 7.9, 50, 8];
    const s = [1, 1, 9, 1, 1, 1, 1, 5, 1, 1.02];
    const p = latencyPairStats(t, s, 'wasm', [1, 1]);
    expect(p.busy).toBe(false);
    expect(p.ratio).toBeCloseTo(8, 0);
  });
  it('says the machine was too busy when the quiet band is wide', () => {
    const t = [8, 30, 12, 16, 20, 8, 40, 24, 3, 8];
    const s = [1, 1, 1, 4, 1, 1.5, 2, 5, 1, 1];
    const p = latencyPairStats(t, s, 'wasm', [1, 1]);
    expect(p.busy).toBe(true);
    expect(speedPhrase(p)).toBeNull();
  });
  it('refuses rounds that do not pair up', () => {
    expect(() => latencyPairStats([1, 2], [1], 'cpu', [1, 1])).toThrow(/per round/);
  });
});
