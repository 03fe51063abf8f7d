import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Sgd } from './sgd';
import { Adam } from './adam';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SGD with momentum and weight decay', () => {
  it('matches a hand computation of v ← μv + g + λw, w ← w − lr·v over three steps', () => {
    const w = tf.tidy(() => tf.variable(tf.tensor1d([1, -2]), true, 'sgd-hand/w'));
    const opt = new Sgd(0.1, 0.9, 0.01);
    const grads = [[0.5, 1], [-1, 0.25], [0, 0]];
    // By hand, for the first value: w=1.
    //  step 1: g'=0.5+0.01·1=0.51, v=0.51, w=1−0.051=0.949
    //  step 2: g'=−1+0.00949=−0.99051, v=0.9·0.51−0.99051=−0.53151, w=0.949+0.053151=1.002151
    //  step 3: g'=0.01002151, v=0.9·(−0.53151)+0.01002151=−0.46833749, w=1.002151+0.046833749=1.048984749
    // Second value: w=−2.
    //  step 1: g'=1−0.02=0.98, v=0.98, w=−2.098
    //  step 2: g'=0.25−0.02098=0.22902, v=0.882+0.22902=1.11102, w=−2.209102
    //  step 3: g'=−0.02209102, v=0.999918−0.02209102=0.97782698, w=−2.306884698
    for (const g of grads) {
      const t = tf.tensor1d(g);
      opt.applyGradients({ [w.name]: t });
      t.dispose();
    }
    const got = w.dataSync();
    expect(got[0]).toBeCloseTo(1.048984749, 5);
    expect(got[1]).toBeCloseTo(-2.306884698, 5);
    opt.dispose();
    w.dispose();
  });

  it('without momentum and decay is plain gradient descent, and frees its buffers', () => {
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, 'sgd-plain/w'));
    const opt = new Sgd(0.5, 0, 0);
    const g = tf.ones([2, 2]);
    opt.applyGradients({ [w.name]: g });
    expect(Array.from(w.dataSync())).toEqual([0.5, 1.5, 2.5, 3.5]);
    opt.dispose();
    tf.dispose([w, g]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('continues from a saved state (a checkpoint) exactly as without the interruption', async () => {
    const vars = tf.tidy(() => [tf.variable(tf.randomNormal([4, 3], 0, 1, 'float32', 3), true, 'sgd-st/a'),
      tf.variable(tf.randomNormal([2], 0, 1, 'float32', 4), true, 'sgd-st/b')]);
    const init = vars.map((v) => Float32Array.from(v.dataSync()));
    const step = (opt: Sgd, s: number) => {
      const grads = tf.tidy(() => ({
        [vars[0].name]: tf.randomNormal([4, 3], 0, 1, 'float32', 20 + s),
        [vars[1].name]: tf.randomNormal([2], 0, 1, 'float32', 40 + s),
      }));
      opt.applyGradients(grads);
      tf.dispose(Object.values(grads));
    };
    const read = () => vars.map((v) => Float32Array.from(v.dataSync()));
    const reset = () => tf.tidy(() => vars.forEach((v, i) => v.assign(tf.tensor(init[i], v.shape))));
    const whole = new Sgd(0.05, 0.9, 5e-4);
    for (let s = 0; s < 6; s++) step(whole, s);
    const want = read();
    whole.dispose();

    reset();
    const first = new Sgd(0.05, 0.9, 5e-4);
    for (let s = 0; s < 3; s++) step(first, s);
    const saved = await first.readState(vars);
    expect(saved.step).toBe(3);
    expect(saved.m.map((m) => m.length)).toEqual([12, 2]);
    expect(saved.v).toEqual([]);
    first.dispose();
    const second = new Sgd(0.05, 0.9, 5e-4);
    second.setState(vars, saved);
    for (let s = 3; s < 6; s++) step(second, s);
    read().forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(want[i])));

    // Fresh momentum buffers end elsewhere: the buffers are what the checkpoint must carry.
    reset();
    const a = new Sgd(0.05, 0.9, 5e-4);
    for (let s = 0; s < 3; s++) step(a, s);
    a.dispose();
    const b = new Sgd(0.05, 0.9, 5e-4);
    for (let s = 3; s < 6; s++) step(b, s);
    expect(Math.abs(read()[0][0] - want[0][0])).toBeGreaterThan(1e-4);
    b.dispose();

    // An Adam state is refused by name rather than read as momentum.
    const adam = new Adam(0.01);
    const adamState = await adam.readState(vars);
    expect(() => second.setState(vars, adamState)).toThrow(/Adam state/);
    expect(() => second.setState(vars.slice(1), saved)).toThrow(/2 momentum buffers, the model 1/);
    adam.dispose();
    second.dispose();
    tf.dispose(vars);
  });

  it('refuses a momentum of 1 or more and a negative weight decay', () => {
    expect(() => new Sgd(0.1, 1, 0)).toThrow(/momentum/);
    expect(() => new Sgd(0.1, 0.9, -1)).toThrow(/weight decay/);
  });
});
