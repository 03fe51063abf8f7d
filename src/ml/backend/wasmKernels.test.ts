import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels, WASM_TRAINING_KERNELS } from './wasmKernels';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

/** Deterministic pseudo-random values in [-1, 1). */
function rand(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = (s / 4294967296) * 2 - 1;
  }
  return out;
}

/** Runs f on `backend` with fresh tensors made from the given arrays; returns the values. */
async function on(backend: string, arrays: [Float32Array, number[]][], f: (...t: tf.Tensor[]) => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const ts = arrays.map(([v, s]) => tf.tensor(v, s));
  const r = f(...ts);
  const out = (await r.data()) as Float32Array;
  r.dispose();
  ts.forEach((t) => t.dispose());
  return out;
}

function expectClose(got: Float32Array, want: Float32Array, tol = 1e-4): void {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let maxErr = 0;
  for (let i = 0; i < want.length; i++) {
    maxAbs = Math.max(maxAbs, Math.abs(want[i]));
    maxErr = Math.max(maxErr, Math.abs(got[i] - want[i]));
    if (!Number.isFinite(got[i])) throw new Error(`non-finite value at ${i}`);
  }
  expect(maxErr / Math.max(maxAbs, 1e-6)).toBeLessThan(tol);
}

interface Case { n: number; h: number; w: number; ci: number; co: number; k: number; s: number; pad: Pad }

const CASES: Case[] = [];
for (const [n, h, w] of [[1, 7, 7], [4, 28, 28], [2, 9, 6]] as const) {
  for (const ci of [1, 3, 8]) {
    for (const s of [1, 2]) {
      for (const pad of ['same', 'valid'] as Pad[]) CASES.push({ n, h, w, ci, co: 5, k: 3, s, pad });
    }
  }
}
CASES.push({ n: 2, h: 8, w: 8, ci: 4, co: 6, k: 1, s: 1, pad: 'valid' });
CASES.push({ n: 2, h: 8, w: 8, ci: 4, co: 6, k: 1, s: 2, pad: 'same' });
CASES.push({ n: 2, h: 10, w: 9, ci: 3, co: 4, k: 5, s: 2, pad: 'same' });
CASES.push({ n: 2, h: 10, w: 9, ci: 3, co: 4, k: 3, s: 1, pad: 1 });
CASES.push({ n: 2, h: 10, w: 9, ci: 3, co: 4, k: 3, s: 2, pad: [[0, 0], [1, 0], [0, 2], [0, 0]] });


function outShape(c: Case): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [c.k, c.k, c.ci, c.co], c.s, 1, c.pad as 'same', undefined, false);
  return [c.n, info.outHeight, info.outWidth, c.co];
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  registerWasmTrainingKernels(); // idempotent
  await tf.setBackend('wasm');
});

describe('wasm training kernels', () => {
  it('registers the missing kernels for wasm', () => {
    for (const k of WASM_TRAINING_KERNELS) expect(tf.getKernel(k, 'wasm')).toBeDefined();
  });

  it.each(CASES)('Conv2DBackpropFilter matches cpu: %#', async (c) => {
    const xs: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
    const dys = outShape(c);
    const x = rand(tf.util.sizeFromShape(xs), 1);
    const dy = rand(tf.util.sizeFromShape(dys), 2);
    const f = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt },
        { strides: [c.s, c.s], pad: c.pad, dataFormat: 'NHWC', filterShape: [c.k, c.k, c.ci, c.co] } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const want = await on('cpu', [[x, xs], [dy, dys]], f);
    const got = await on('wasm', [[x, xs], [dy, dys]], f);
    expectClose(got, want);
  }, 60_000);

  it.each(CASES)('Conv2DBackpropInput matches cpu: %#', async (c) => {
    const xs: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
    const dys = outShape(c);
    const dy = rand(tf.util.sizeFromShape(dys), 3);
    const w = rand(c.k * c.k * c.ci * c.co, 4);
    const f = (dyt: tf.Tensor, wt: tf.Tensor) =>
      tf.conv2dTranspose(dyt as tf.Tensor4D, wt as tf.Tensor4D, xs, c.s, c.pad as 'same');
    const want = await on('cpu', [[dy, dys], [w, [c.k, c.k, c.ci, c.co]]], f);
    const got = await on('wasm', [[dy, dys], [w, [c.k, c.k, c.ci, c.co]]], f);
    expectClose(got, want);
  }, 60_000);

  const DW = CASES.filter((c) => typeof c.pad === 'string').flatMap((c) => [{ ...c, m: 1 }, { ...c, m: 2 }]);

  it.each(DW)('DepthwiseConv2dNative backprops match cpu: %#', async (c) => {
    const xs: [number, number, number, number] = [c.n, c.h, c.w, c.ci];
    const fs: [number, number, number, number] = [c.k, c.k, c.ci, c.m];
    const info = tf.backend_util.computeConv2DInfo(xs, fs, c.s, 1, c.pad as 'same', undefined, true);
    const dys = [c.n, info.outHeight, info.outWidth, c.ci * c.m];
    const x = rand(tf.util.sizeFromShape(xs), 5);
    const dy = rand(tf.util.sizeFromShape(dys), 6);
    const w = rand(tf.util.sizeFromShape(fs), 7);
    const attrs = { strides: [c.s, c.s], pad: c.pad, dilations: [1, 1] } as unknown as tf.NamedAttrMap;
    const bf = (xt: tf.Tensor, dyt: tf.Tensor) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape: fs }) as tf.Tensor;
    const bi = (dyt: tf.Tensor, wt: tf.Tensor) =>
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: dyt, filter: wt }, { ...attrs, inputShape: xs }) as tf.Tensor;
    expectClose(await on('wasm', [[x, xs], [dy, dys]], bf), await on('cpu', [[x, xs], [dy, dys]], bf));
    expectClose(await on('wasm', [[dy, dys], [w, fs]], bi), await on('cpu', [[dy, dys], [w, fs]], bi));
  }, 60_000);
});

describe('wasm fast paths of elementwise ops', () => {
  const X: [Float32Array, number[]] = [rand(4 * 7 * 5 * 8, 21), [4, 7, 5, 8]];
  const V: [Float32Array, number[]] = [rand(8, 22).map((t) => t + 2), [8]];
  const V4: [Float32Array, number[]] = [V[0], [1, 1, 1, 8]];
  const binary: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
    ['mul', tf.mul], ['add', tf.add], ['sub', tf.sub], ['div', tf.div],
  ];
  it.each(binary)('%s with a per-channel vector matches cpu (both orders, both shapes)', async (_n, f) => {
    for (const v of [V, V4]) {
      expectClose(await on('wasm', [X, v], f), await on('cpu', [X, v], f), 1e-5);
      expectClose(await on('wasm', [v, X], f), await on('cpu', [v, X], f), 1e-5);
    }
  });
  it('matMul with transposed operands (2-D and batched) matches cpu', async () => {
    const cases: [number[], number[], boolean, boolean][] = [
      [[13, 6], [13, 9], true, false], [[6, 13], [9, 13], false, true], [[13, 6], [9, 13], true, true],
      [[3, 13, 6], [3, 13, 9], true, false], [[3, 6, 13], [3, 9, 13], false, true],
    ];
    for (const [sa, sb, ta, tb] of cases) {
      const a: [Float32Array, number[]] = [rand(sa.reduce((p, q) => p * q, 1), 31), sa];
      const b: [Float32Array, number[]] = [rand(sb.reduce((p, q) => p * q, 1), 32), sb];
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x as tf.Tensor3D, y as tf.Tensor3D, ta, tb);
      expectClose(await on('wasm', [a, b], f), await on('cpu', [a, b], f), 1e-5);
    }
  });

  it('sum / mean / tile / batchNorm match cpu', async () => {
    const fs: ((...t: tf.Tensor[]) => tf.Tensor)[] = [
      (x) => tf.sum(x, [0, 1, 2]),
      (x) => tf.mean(x, [0, 1, 2], true),
      (x) => tf.sum(x, [2, 0, 1]),
      (x) => tf.mean(x, [1, 2]),
      (x) => tf.sum(x),
      (x, v) => tf.tile(tf.reshape(v, [1, 1, 1, 8]), [4, 7, 5, 1]),
      (x) => tf.tile(x, [1, 2, 1, 3]),
      (x, v) => tf.batchNorm(x, v, tf.abs(v), tf.neg(v), tf.mul(v, 0.5), 1e-3),
      (x, v) => tf.batchNorm(x, v, tf.abs(v)),
    ];
    for (const f of fs) expectClose(await on('wasm', [X, V], f), await on('cpu', [X, V], f), 1e-5);
  });
});

/** A tiny conv + depthwise + batch-norm + dense net; returns its loss and variables. */
function tinyNet(): { vars: tf.Variable[]; loss: () => tf.Scalar; x: tf.Tensor; y: tf.Tensor } {
  const v = (shape: number[], seed: number, scale: number) =>
    tf.variable(tf.mul(tf.tensor(rand(tf.util.sizeFromShape(shape), seed), shape), scale));
  const w1 = v([3, 3, 3, 8], 11, 0.3);
  const dw = v([3, 3, 8, 1], 12, 0.3);
  const w2 = v([1, 1, 8, 12], 13, 0.3);
  const gamma = tf.variable(tf.ones([12]));
  const beta = tf.variable(tf.zeros([12]));
  const wd = v([12, 4], 14, 0.3);
  const x = tf.tensor(rand(4 * 11 * 11 * 3, 15), [4, 11, 11, 3]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4);
  const loss = () => tf.tidy(() => {
    let h = tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'));
    h = tf.relu(tf.depthwiseConv2d(h, dw as tf.Tensor4D, 1, 'same'));
    h = tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid');
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    h = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-3)) as tf.Tensor4D;
    const g = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return tf.losses.softmaxCrossEntropy(y, tf.matMul(g, wd as tf.Tensor2D)) as tf.Scalar;
  });
  return { vars: [w1, dw, w2, gamma, beta, wd], loss, x, y };
}

describe('full gradients of a tiny conv + depthwise net', () => {
  it('are equal on wasm and cpu, and leak no tensors', async () => {
    const grads: Record<string, Float32Array[]> = {};
    for (const b of ['cpu', 'wasm']) {
      await tf.setBackend(b);
      const net = tinyNet();
      const { value, grads: g } = tf.variableGrads(net.loss, net.vars);
      grads[b] = await Promise.all(net.vars.map((vv) => g[vv.name].data() as Promise<Float32Array>));
      expect(Number.isFinite((await value.data())[0])).toBe(true);
      value.dispose();
      tf.dispose(g);
      // One full Adam step must not leak.
      const opt = tf.train.adam(1e-3);
      opt.minimize(net.loss, false, net.vars); // creates the slots
      const before = tf.memory().numTensors;
      for (let i = 0; i < 2; i++) opt.minimize(net.loss, false, net.vars);
      expect(tf.memory().numTensors).toBe(before);
      opt.dispose();
      tf.dispose([...net.vars, net.x, net.y]);
    }
    grads.cpu.forEach((want, i) => expectClose(grads.wasm[i], want, 2e-4));
  }, 60_000);
});
