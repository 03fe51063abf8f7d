/**
 * 'auto' chooses by speed: each candidate backend (one that passed its self-test) trains a few
 * real steps of the run's own configuration, and the fastest is kept. The choice is cached per
 * device and configuration shape, so the next run of the same shape does not time again.
 *
 * This module is the choice itself; src/worker/backendChoice.ts supplies the timer (real
 * DistillSession steps) and the cache (IndexedDB in the browser).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendId, SpeedChoiceInfo, SpeedTrial } from '../../domain';

export interface SpeedCache {
  get(key: string): Promise<SpeedTrial[] | undefined>;
  set(key: string, trials: SpeedTrial[]): Promise<void>;
}

/** A cache in memory (Node, or where IndexedDB is unavailable). */
export function memoryCache(): SpeedCache {
  const m = new Map<string, SpeedTrial[]>();
  return { get: async (k) => m.get(k), set: async (k, t) => { m.set(k, t); } };
}

/** The device part of the cache key: each candidate with its adapter, and the host. */
export function deviceKey(candidates: { backend: BackendId; adapter: string | null }[], host: string): string {
  return `${host} | ${candidates.map((c) => `${c.backend}=${c.adapter ?? ''}`).join(', ')}`;
}

const fmt = (n: number) => (n >= 100 ? String(Math.round(n)) : n.toPrecision(2));

/** Why `best` was chosen, in words, from the trials (fastest first). */
export function reasonFor(trials: SpeedTrial[], cached: boolean): string {
  const [best, ...rest] = [...trials].sort((a, b) => b.samplesPerSec - a.samplesPerSec);
  const others = rest.map((t) => `${t.backend} ${fmt(t.samplesPerSec)}`).join(', ');
  const when = cached ? 'timed earlier for this configuration on this device' : 'timed just now on this configuration';
  return `${best.backend} trained fastest: ${fmt(best.samplesPerSec)} samples/s${others ? ` vs ${others}` : ''} (${when})`;
}

export interface ChooseOptions {
  cache: SpeedCache;
  /** Samples/s of a few training steps on the backend that is active when it is called. */
  time(backend: BackendId): Promise<number>;
  log?: (s: string) => void;
}

/**
 * Times each candidate (unless `key` is cached), activates the fastest and says why. A
 * candidate whose timing throws is left out (and logged); with one candidate nothing is timed.
 */
export async function chooseBySpeed(candidates: BackendId[], key: string, shape: string, opts: ChooseOptions): Promise<{ backend: BackendId; info: SpeedChoiceInfo | null }> {
  if (candidates.length === 0) throw new Error('chooseBySpeed: no candidate backends');
  if (candidates.length === 1) {
    if (tf.getBackend() !== candidates[0]) await tf.setBackend(candidates[0]);
    return { backend: candidates[0], info: null };
  }
  let trials = await opts.cache.get(key);
  const cached = trials != null && trials.length > 0 && trials.every((t) => candidates.includes(t.backend));
  if (!cached) {
    trials = [];
    for (const b of candidates) {
      try {
        await tf.setBackend(b);
        const samplesPerSec = await opts.time(b);
        opts.log?.(`speed trial ${b}: ${fmt(samplesPerSec)} samples/s`);
        if (Number.isFinite(samplesPerSec) && samplesPerSec > 0) trials.push({ backend: b, samplesPerSec });
      } catch (e) {
        opts.log?.(`speed trial ${b} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (trials.length === 0) throw new Error(`No candidate backend could train this configuration (${candidates.join(', ')})`);
    await opts.cache.set(key, trials);
  }
  const list = trials!;
  const best = list.reduce((a, b) => (b.samplesPerSec > a.samplesPerSec ? b : a));
  if (tf.getBackend() !== best.backend) await tf.setBackend(best.backend);
  return { backend: best.backend, info: { trials: list, reason: reasonFor(list, cached), cached, shape } };
}
