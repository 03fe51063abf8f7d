import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Adam } from '../train/adam';
import { ADAM_KERNEL } from './wasmAdam';
import { adamGroupSize } from './webgpuAdam';
import { addRelu } from './fusedAddRelu';
import { buildModel } from '../models/tapped';
import { disposeFrozen, frozenApply } from '../models/frozen';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

/** Pseudo-random normal-ish values made in JS (the same on every backend). */
const rand = (n: number, seed: number) => testValues(n, seed, { terms: 3 });

/** `steps` Adam updates of variables of the given shapes on the active backend; final values. */
async function adamRun(shapes: number[][], steps: number, fused: boolean): Promise<Float32Array[]> {
  const init = shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 1 + i));
  const grads = Array.from({ length: steps }, (_, t) => shapes.map((s, i) => rand(s.reduce((a, b) => a * b, 1), 100 + 10 * t + i)));
  const vars = shapes.map((s, i) => tf.tidy(() => tf.variable(tf.tensor(init[i], s), true, `adam${fused}${tf.getBackend()}/${i}`)));
  const opt = new Adam(0.01, fused);
  expect(opt.fused).toBe(fused);
  for (let t = 0; t < steps; t++) {
    if (t === 2) opt.learningRate = 0.003;
    const g = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(grads[t][i], shapes[i])]));
    opt.applyGradients(g);
    tf.dispose(Object.values(g));
  }
  const out = await Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
  opt.dispose();
  tf.dispose(vars);
  return out;
}

describe('WebGPU training kernels (Dawn, vs cpu)', () => {
  it('the fused Adam update equals the unfused one on cpu (odd shapes, a single value, a large tensor)', async (ctx) => {
    if (!available) ctx.skip();
    const shapes = [[7, 5], [3], [1], [3, 3, 5, 7], [70001]];
    await tf.setBackend('cpu');
    const want = await adamRun(shapes, 5, false);
    await tf.setBackend('webgpu');
    const before = tf.memory().numTensors;
    const got = await adamRun(shapes, 5, true);
    expect(tf.memory().numTensors).toBe(before);
    got.forEach((g, i) => {
      let worst = 0;
      g.forEach((x, j) => { worst = Math.max(worst, Math.abs(x - want[i][j]) / (1 + Math.abs(want[i][j]))); });
      // The fused update rounds once per value, the stock ops once per op.
      expect(worst, `shape ${shapes[i]}`).toBeLessThan(1e-5);
    });
  });

  it('updates its own variables in place, several per dispatch, with no buffer created or scalar uploaded in the steady state', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    expect(tf.getKernel(ADAM_KERNEL, 'webgpu')).toBeDefined();
    const vars = tf.tidy(() => [tf.variable(tf.ones([5, 3])), tf.variable(tf.ones([4]))]);
    const grads = Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)]));
    const opt = new Adam(0.1);
    expect(opt.fused).toBe(true);
    // Two warm-up steps: the first uploads, the second frees what the first replaced.
    for (let i = 0; i < 2; i++) { opt.applyGradients(grads); flushWebGpu(); }
    await vars[0].data();
    const counter = webgpuCounter()!;
    counter.reset();
    opt.applyGradients(grads);
    flushWebGpu();
    const k = adamGroupSize(tf.backend());
    expect(k).toBeGreaterThanOrEqual(2);
    expect(counter.counts.dispatches).toBe(1);
    expect(counter.counts.buffersCreated).toBe(0);
    expect(counter.counts.submits).toBe(1);
    // The only write is the dispatch's uniform block.
    expect(counter.counts.writeBuffers).toBe(1);
    // Three Adam steps with gradient 1 from 1: x = 1 − 3·lr (m̂/√v̂ = 1 each step).
    expect(Array.from(await vars[1].data()).map((x) => +x.toFixed(4))).toEqual([0.7, 0.7, 0.7, 0.7]);
    opt.dispose();
    tf.dispose([...vars, ...Object.values(grads)]);
  });

  it('in place: groups of adamGroupSize variables per dispatch; a variable whose buffer is shared (a clone) is updated by the copying kernel, and the clone keeps its values', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const k = adamGroupSize(tf.backend());
    const n = 2 * k + 1;
    const vars = tf.tidy(() => Array.from({ length: n }, (_, i) => tf.variable(tf.fill([3 + i], 1))));
    const grads = Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)]));
    const opt = new Adam(0.1);
    for (let i = 0; i < 2; i++) { opt.applyGradients(grads); flushWebGpu(); }
    await vars[0].data();
    const counter = webgpuCounter()!;
    counter.reset();
    opt.applyGradients(grads);
    flushWebGpu();
    expect(counter.counts.dispatches).toBe(Math.ceil(n / k));
    // A clone shares the variable's buffer: that variable must not be written in place.
    const held = tf.clone(vars[1]);
    const heldBefore = Array.from(await held.data());
    counter.reset();
    opt.applyGradients(grads);
    flushWebGpu();
    expect(counter.breakdown(5).map((r) => r.program)).toContain(`${ADAM_KERNEL}:raw`);
    expect(Array.from(await held.data())).toEqual(heldBefore);
    // Four steps of gradient 1 from 1: x = 1 − 4·lr for every variable, the one with the clone too.
    for (const v of vars) expect(Array.from(await v.data()).map((x) => +x.toFixed(4))).toEqual(new Array(v.size).fill(0.6));
    // A read caches values on the CPU; the next in-place update must not leave them stale.
    opt.applyGradients(grads);
    flushWebGpu();
    expect(Array.from(await vars[0].data()).map((x) => +x.toFixed(4))).toEqual(new Array(vars[0].size).fill(0.5));
    opt.dispose();
    tf.dispose([held, ...vars, ...Object.values(grads)]);
  });

  it('addRelu equals relu(a + b) on cpu, value and gradients, in one dispatch; a frozen residual teacher equals cpu', async (ctx) => {
    if (!available) ctx.skip();
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const a = tf.tensor(rand(3 * 5 * 5 * 7, 31), [3, 5, 5, 7]);
      const b = tf.tensor(rand(3 * 5 * 5 * 7, 32), [3, 5, 5, 7]);
      const w = tf.tensor(rand(3 * 5 * 5 * 7, 33), [3, 5, 5, 7]);
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(addRelu(x, y), w)))([a, b]);
      const tm = buildModel({ arch: 'resnet-t1', width: 4, depth: 2 }, [12, 12, 1], 10, 5);
      const out = frozenApply(tm, tf.tensor4d(rand(2 * 144, 34).map(Math.abs), [2, 12, 12, 1]));
      const res = [Array.from(await value.data()), ...(await Promise.all([...grads, out.logits, ...out.taps].map(async (t) => Array.from(await t.data()))))];
      tf.dispose([a, b, w, value, ...grads, out.logits, ...out.taps]);
      disposeFrozen(tm.model);
      tm.model.dispose();
      return res;
    };
    const want = await run('cpu');
    const got = await run('webgpu');
    got.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - want[i][j]), `result ${i}, value ${j}`).toBeLessThan(1e-4 * (1 + Math.abs(want[i][j])))));
    const x = tf.tensor(rand(4000, 3), [40, 100]);
    await x.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const y = addRelu(x, x);
    expect(counter.counts.dispatches).toBe(1);
    tf.dispose([x, y]);
  });

  it('uploads reuse pooled buffers: a steady loop of tensor uploads creates none', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const counter = webgpuCounter()!;
    const step = async () => {
      // Above TF.js's CPU hand-off size (1000), so the ops run on the GPU.
      const x = tf.tensor2d(Float32Array.from({ length: 1200 }, (_, i) => i), [30, 40]);
      const y = tf.tidy(() => tf.mul(tf.add(x, 1), 2));
      flushWebGpu();
      const out = Array.from(await y.data());
      tf.dispose([x, y]);
      return out;
    };
    await step();
    counter.reset();
    expect(await step()).toEqual(Array.from({ length: 1200 }, (_, i) => (i + 1) * 2));
    expect(counter.counts.buffersCreated).toBe(0);
    expect(counter.counts.dispatches).toBe(2);
  });

  it('Sum and Mean over all axes but the last equal cpu (batch 1, odd sizes, rank 2, keepDims, negative axes), in one dispatch, with gradients', async (ctx) => {
    if (!available) ctx.skip();
    const cases: { shape: number[]; axis: number[]; keepDims: boolean }[] = [
      { shape: [1, 3, 5, 7], axis: [0, 1, 2], keepDims: false },
      { shape: [4, 9, 9, 13], axis: [0, 1, 2], keepDims: true },
      { shape: [2, 6], axis: [0], keepDims: false },
      { shape: [37, 70], axis: [-2], keepDims: true },
      { shape: [3, 2, 5], axis: [1, 0], keepDims: false },
      { shape: [3, 4, 5], axis: [2], keepDims: false }, // not per-channel: the stock kernel
      // Global average pooling of NHWC (all axes but the first and the last).
      { shape: [3, 7, 7, 5], axis: [1, 2], keepDims: false },
      { shape: [1, 4, 4, 70], axis: [2, 1], keepDims: true },
      { shape: [5, 9, 3], axis: [-2], keepDims: false },
    ];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const out: number[][] = [];
      for (const [i, c] of cases.entries()) {
        const x = tf.tensor(rand(c.shape.reduce((a, b) => a * b, 1), 7 + i), c.shape);
        const w = tf.tensor(rand(c.shape.reduce((a, b) => a * b, 1), 70 + i), c.shape);
        const ys = [tf.sum(x, c.axis, c.keepDims), tf.mean(x, c.axis, c.keepDims)];
        // A gradient through both reductions (what batch norm's backward pass runs).
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(tf.mul(t, w), c.axis, true), tf.sum(t, c.axis, true))))(x);
        for (const y of [...ys, g]) out.push(Array.from(await y.data()));
        expect(ys[0].shape).toEqual(tf.sum(tf.zeros(c.shape), c.axis, c.keepDims).shape);
        tf.dispose([x, w, g, ...ys]);
      }
      return out;
    };
    const want = await run('cpu');
    const got = await run('webgpu');
    got.forEach((g, i) => g.forEach((v, j) => expect(Math.abs(v - want[i][j]), `result ${i}, value ${j}`).toBeLessThan(1e-4 * (1 + Math.abs(want[i][j])))));
    const counter = webgpuCounter()!;
    const x = tf.tensor(rand(4 * 9 * 9 * 13, 3), [4, 9, 9, 13]);
    await x.data();
    counter.reset();
    const s = tf.sum(x, [0, 1, 2]);
    expect(counter.counts.dispatches).toBe(1);
    const m = tf.mean(x, [1, 2]);
    expect(counter.counts.dispatches).toBe(2);
    tf.dispose([x, s, m]);
  });

  it('Unpack equals cpu (axes 0, 1, −1, int32, more outputs than one dispatch binds), one dispatch per group of outputs', async (ctx) => {
    if (!available) ctx.skip();
    const cases: { shape: number[]; axis: number; dtype: 'float32' | 'int32' }[] = [
      { shape: [6, 5], axis: 0, dtype: 'float32' },
      { shape: [4, 6, 7], axis: 1, dtype: 'float32' },
      { shape: [3, 2, 20], axis: -1, dtype: 'float32' },
      { shape: [1, 3, 4], axis: 1, dtype: 'int32' },
    ];
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const out: number[][] = [];
      for (const [i, c] of cases.entries()) {
        const n = c.shape.reduce((a, b) => a * b, 1);
        const x = tf.tensor(c.dtype === 'int32' ? Int32Array.from({ length: n }, (_, j) => j * 3 - 5) : rand(n, 20 + i), c.shape, c.dtype);
        const parts = tf.unstack(x, c.axis);
        for (const p of parts) out.push([...p.shape, Number.NaN, ...Array.from(await p.data())]);
        // The gradient of tf.stack is an Unpack.
        const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.stack(tf.unstack(t, c.axis).map((p, j) => tf.mul(p, j + 1)), c.axis), t)))(tf.cast(x, 'float32'));
        out.push(Array.from(await g.data()));
        tf.dispose([x, g, ...parts]);
      }
      return out;
    };
    const want = await run('cpu');
    const got = await run('webgpu');
    expect(got.length).toBe(want.length);
    got.forEach((g, i) => g.forEach((v, j) => {
      if (Number.isNaN(want[i][j])) expect(v).toBeNaN();
      else expect(Math.abs(v - want[i][j]), `result ${i}, value ${j}`).toBeLessThan(1e-5 * (1 + Math.abs(want[i][j])));
    }));
    const x = tf.tensor(rand(8 * 6 * 16, 5), [8, 6, 16]);
    await x.data();
    const counter = webgpuCounter()!;
    counter.reset();
    const parts = tf.unstack(x, 1);
    const per = Math.max(1, ((tf.backend() as unknown as { device: { limits: { maxStorageBuffersPerShaderStage: number } } }).device.limits.maxStorageBuffersPerShaderStage) - 1);
    expect(counter.counts.dispatches).toBe(Math.ceil(6 / per));
    tf.dispose([x, ...parts]);
  });
});
