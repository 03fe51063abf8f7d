import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../backend/wasmKernels';
import { Adam, type Optimiser } from './adam';

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

function worstDiff(got: Float32Array[], want: Float32Array[]): number {
  let worst = 0;
  got.forEach((g, i) => g.forEach((x, j) => { worst = Math.max(worst, Math.abs(x - want[i][j])); }));
  return worst;
}

describe('Adam', () => {
  it('fuses each update into one kernel on wasm', () => {
    const opt = new Adam(0.01);
    expect(opt.fused).toBe(true);
    opt.dispose();
  });

  it.each([true, false])('fused=%s matches tf.train.adam step for step, and frees its moments', (fused) => {
    const before = tf.memory().numTensors;
    const ours = train((lr) => new Adam(lr, fused), `ours${fused}`, 8);
    expect(tf.memory().numTensors).toBe(before);
    const stock = train((lr) => tf.train.adam(lr) as unknown as Optimiser, `stock${fused}`, 8);
    // They agree to float32 rounding (the values moved by ~0.03).
    expect(worstDiff(ours, stock)).toBeLessThan(1e-6);
  });

  it('continues from a saved state exactly as without the interruption', async () => {
    const vars = tf.tidy(() => [tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 3), true, 'st/a'),
      tf.variable(tf.randomNormal([2], 0, 1, 'float32', 4), true, 'st/b')]);
    const init = vars.map((v) => Float32Array.from(v.dataSync()));
    const step = (opt: Adam, s: number) => {
      const grads = tf.tidy(() => ({
        [vars[0].name]: tf.randomNormal([4, 3], 0, 1, 'float32', 20 + s),
        [vars[1].name]: tf.randomNormal([2], 0, 1, 'float32', 40 + s),
      }));
      opt.applyGradients(grads);
      tf.dispose(Object.values(grads));
    };
    const reset = () => tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(init[i], v.shape))));
    const uninterrupted = new Adam(0.05);
    for (let s = 0; s < 6; s++) step(uninterrupted, s);
    const want = vars.map((v) => Float32Array.from(v.dataSync()));
    uninterrupted.dispose();

    reset();
    const first = new Adam(0.05);
    for (let s = 0; s < 3; s++) step(first, s);
    const saved = await first.readState(vars);
    expect(saved.step).toBe(3);
    first.dispose();
    const second = new Adam(0.05);
    second.setState(vars, saved);
    for (let s = 3; s < 6; s++) step(second, s);
    const got = vars.map((v) => Float32Array.from(v.dataSync()));
    expect(worstDiff(got, want)).toBe(0);

    // Fresh moments (what resuming did before the state was saved) end elsewhere.
    reset();
    const a = new Adam(0.05);
    for (let s = 0; s < 3; s++) step(a, s);
    a.dispose();
    const b = new Adam(0.05);
    for (let s = 3; s < 6; s++) step(b, s);
    expect(worstDiff(vars.map((v) => Float32Array.from(v.dataSync())), want)).toBeGreaterThan(1e-3);
    b.dispose();
    expect(() => second.setState(vars.slice(1), saved)).toThrow(/2 moments, the model 1/);
    second.dispose();
    tf.dispose(vars);
  });
});
