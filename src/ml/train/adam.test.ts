import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../backend/wasmKernels';
import { FusedAdam, makeAdam, type Optimiser } from './adam';

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

/** Runs `steps` updates of two variables with fixed pseudo-random gradients; returns their values. */
function train(make: (lr: number) => Optimiser, tag: string, steps: number): Float32Array[] {
  const [a, b] = tf.tidy(() => [
    tf.variable(tf.randomNormal([7, 5], 0, 1, 'float32', 1), true, `${tag}/a`),
    tf.variable(tf.randomNormal([3], 0, 1, 'float32', 2), true, `${tag}/b`),
  ]);
  const init = [a, b].map((v) => Float32Array.from(v.dataSync()));
  const opt = make(0.01);
  for (let s = 0; s < steps; s++) {
    if (s === 3) opt.learningRate = 0.003; // a schedule changes it between steps
    const grads = tf.tidy(() => ({
      [a.name]: tf.mul(tf.randomNormal([7, 5], 0, 1, 'float32', 10 + s), s % 2 ? 1 : 1e-3),
      [b.name]: tf.randomNormal([3], 0, 1, 'float32', 100 + s),
    }));
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const out = [a, b].map((v) => Float32Array.from(v.dataSync()));
  opt.dispose();
  tf.dispose([a, b]);
  // Every value moved (by up to ~8 × lr).
  out.forEach((o, i) => o.forEach((x, j) => expect(Math.abs(x - init[i][j])).toBeGreaterThan(1e-6)));
  return out;
}

describe('FusedAdam (one wasm kernel per variable)', () => {
  it('is chosen on wasm', () => {
    const opt = makeAdam(0.01);
    expect(opt).toBeInstanceOf(FusedAdam);
    opt.dispose();
  });

  it('matches tf.train.adam step for step, and frees its moments', () => {
    const before = tf.memory().numTensors;
    const ours = train((lr) => new FusedAdam(lr), 'fused', 8);
    expect(tf.memory().numTensors).toBe(before);
    const stock = train((lr) => tf.train.adam(lr) as unknown as Optimiser, 'stock', 8);
    ours.forEach((got, i) => {
      const want = stock[i];
      let worst = 0;
      for (let j = 0; j < want.length; j++) worst = Math.max(worst, Math.abs(got[j] - want[j]));
      // They agree to float32 rounding (the values moved by ~0.03).
      expect(worst).toBeLessThan(1e-6);
    });
  });
});
