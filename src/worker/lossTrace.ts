/**
 * The losses of the first N training steps of a configuration from its seed, read after every
 * step, for checking that two backends train alike (the WebGPU run against the wasm run). The
 * batches are the dataset's first training images in order; the teacher is built from the
 * configuration's seed (its weights are the same on every backend), and runs in the session.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodId, TrainConfig } from '../domain';
import { METHODS } from '../domain';
import { fillBatch } from '../ml/data/batches';
import { buildModel } from '../ml/models';
import { disposeFrozen } from '../ml/models/frozen';
import { DistillSession } from '../ml/train/session';
import type { Dataset } from '../ml/types';

export interface LossTrace { backend: string; steps: number; batchSize: number; losses: Record<string, number[]>; msPerStep: Record<string, number> }

export async function lossTrace(config: TrainConfig, ds: Dataset, methods: MethodId[], steps: number): Promise<LossTrace> {
  const B = config.batchSize;
  const [h, w, c] = ds.shape;
  const order = Int32Array.from({ length: ds.train.count }, (_, i) => i);
  const perEpoch = Math.max(1, Math.floor(ds.train.count / B));
  const xBuf = new Float32Array(B * h * w * c);
  const yBuf = new Int32Array(B);
  const losses: Record<string, number[]> = {};
  const msPerStep: Record<string, number> = {};
  for (const method of methods) {
    const cfg: TrainConfig = { ...config, method };
    const student = buildModel(cfg.student, ds.shape, ds.numClasses, cfg.seed);
    const teacher = METHODS[method].usesTeacher ? buildModel(cfg.teacher, ds.shape, ds.numClasses, cfg.seed + 1) : null;
    const session = new DistillSession(cfg, student, teacher);
    const out: number[] = [];
    const t0 = performance.now();
    try {
      for (let s = 0; s < steps; s++) {
        fillBatch(ds.train, order, (s % perEpoch) * B, B, ds.pixelMax, xBuf, yBuf);
        const x = tf.tensor4d(xBuf, [B, h, w, c]);
        const y = tf.tensor1d(yBuf, 'int32');
        const stats = session.trainStep(x, y, 0);
        out.push((await stats.total.data())[0]);
        tf.dispose([x, y, ...Object.values(stats)]);
      }
    } finally {
      session.dispose();
      if (teacher) { disposeFrozen(teacher.model); teacher.model.dispose(); }
    }
    losses[method] = out;
    msPerStep[method] = Math.round((performance.now() - t0) / steps);
  }
  return { backend: tf.getBackend(), steps, batchSize: B, losses, msPerStep };
}

/** The largest relative difference |a − b| / max(|b|, tiny) between two traces, per method. */
export function worstRelative(a: LossTrace, b: LossTrace): Record<string, number> {
  return Object.fromEntries(Object.keys(b.losses).map((m) => {
    const x = a.losses[m] ?? [];
    const y = b.losses[m];
    if (x.length !== y.length) return [m, Infinity];
    return [m, y.reduce((worst, v, i) => Math.max(worst, Math.abs(x[i] - v) / Math.max(Math.abs(v), 1e-12)), 0)];
  }));
}
