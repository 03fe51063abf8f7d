/**
 * The worker side of 'auto' choosing by speed (src/ml/backend/speedChoice.ts): before a run
 * starts, each backend that passed its self-test trains a few real steps of that run's
 * configuration (its method, student, teacher architecture and batch size, on its dataset's
 * images), and the fastest trains the run. Trials are cached per device and configuration shape
 * in IndexedDB (in memory where it is missing), so a second pilot does not time again.
 */
import * as tf from '@tensorflow/tfjs';
import { openDB } from 'idb';
import type { BackendId, BackendInfo, SpeedTrial, TrainConfig } from '../domain';
import { METHODS } from '../domain';
import { chooseBySpeed, deviceKey, memoryCache, type SpeedCache } from '../ml/backend/speedChoice';
import { buildModel } from '../ml/models';
import { disposeFrozen } from '../ml/models/frozen';
import { fillBatch } from '../ml/data/batches';
import { DistillSession } from '../ml/train/session';
import type { Dataset } from '../ml/types';

/** Steps timed per backend, after WARM_STEPS (the first steps compile shaders and tune). */
export const TIMED_STEPS = 3;
const WARM_STEPS = 2;
/** A warm-up step slower than this ends the trial early: the backend is clearly not the fast one. */
const SLOW_STEP_MS = 4000;

/** What the cache key says about a configuration: what makes a step cost what it costs. */
export function configShape(config: TrainConfig, ds: Pick<Dataset, 'shape' | 'numClasses'>): string {
  const spec = (s: TrainConfig['student']) => `${s.arch} w${s.width} d${s.depth}`;
  const teacher = METHODS[config.method].usesTeacher ? `, teacher ${spec(config.teacher)}` : '';
  return `${config.method}, ${ds.shape.join('×')}→${ds.numClasses}, student ${spec(config.student)}${teacher}, batch ${config.batchSize}`;
}

/** Samples/s of TIMED_STEPS real training steps of `config` on the active backend. */
export async function timeConfig(config: TrainConfig, ds: Dataset, steps = TIMED_STEPS): Promise<number> {
  const B = config.batchSize;
  const [h, w, c] = ds.shape;
  const student = buildModel(config.student, ds.shape, ds.numClasses, config.seed);
  const teacher = METHODS[config.method].usesTeacher ? buildModel(config.teacher, ds.shape, ds.numClasses, config.seed + 1) : null;
  const session = new DistillSession(config, student, teacher);
  const order = Int32Array.from({ length: ds.train.count }, (_, i) => i);
  const xBuf = new Float32Array(B * h * w * c);
  const yBuf = new Int32Array(B);
  const step = async (s: number, read: boolean) => {
    fillBatch(ds.train, order, (s * B) % Math.max(1, ds.train.count - B), Math.min(B, ds.train.count), ds.pixelMax, xBuf, yBuf);
    const x = tf.tensor4d(xBuf, [B, h, w, c]);
    const y = tf.tensor1d(yBuf, 'int32');
    const stats = session.trainStep(x, y, 0);
    if (read) await stats.total.data();
    tf.dispose([x, y, ...Object.values(stats)]);
  };
  try {
    let t0 = performance.now();
    for (let s = 0; s < WARM_STEPS; s++) {
      await step(s, true);
      const ms = performance.now() - t0;
      // The first step may compile; a second slow step is the backend's real pace.
      if (s > 0 && ms > SLOW_STEP_MS) return (B * 1000) / ms;
      t0 = performance.now();
    }
    t0 = performance.now();
    for (let s = 0; s < steps; s++) await step(WARM_STEPS + s, s === steps - 1);
    return (steps * B * 1000) / (performance.now() - t0);
  } finally {
    session.dispose();
    if (teacher) { disposeFrozen(teacher.model); teacher.model.dispose(); }
  }
}

/** Trials in IndexedDB ('rtk-studio-backend', store 'speed'); in memory where that fails. */
export function idbCache(): SpeedCache {
  const memory = memoryCache();
  if (typeof indexedDB === 'undefined') return memory;
  const db = openDB('rtk-studio-backend', 1, { upgrade: (d) => { d.createObjectStore('speed'); } }).catch(() => null);
  return {
    async get(key) {
      const hit = await memory.get(key);
      if (hit) return hit;
      const d = await db;
      return d ? ((await d.get('speed', key).catch(() => undefined)) as SpeedTrial[] | undefined) : undefined;
    },
    async set(key, trials) {
      await memory.set(key, trials);
      const d = await db;
      await d?.put('speed', trials, key).catch(() => undefined);
    },
  };
}

/**
 * Chooses the backend for a run of `config` when the studio was started with 'auto' and more
 * than one backend passed its self-test; returns the BackendInfo to show (null: nothing changed).
 */
export async function chooseForRun(info: BackendInfo, config: TrainConfig, ds: Dataset, cache: SpeedCache, log?: (s: string) => void): Promise<BackendInfo | null> {
  const candidates = info.candidates ?? [];
  if (candidates.length < 2) return null;
  const host = typeof navigator === 'undefined' ? 'node' : `${navigator.userAgent} · ${navigator.hardwareConcurrency} cores`;
  const shape = configShape(config, ds);
  const key = `${deviceKey(candidates, host)} | ${shape}`;
  const { backend, info: speed } = await chooseBySpeed(candidates.map((c) => c.backend), key, shape, {
    cache, log, time: () => timeConfig(config, ds),
  });
  const adapter = candidates.find((c) => c.backend === backend)?.adapter ?? null;
  return { ...info, backend: backend as BackendId, adapter, speed: speed ?? undefined };
}
