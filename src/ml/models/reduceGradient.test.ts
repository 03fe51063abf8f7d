import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it } from 'vitest';
import { registerLeanReduceGradients, restoreStockReduceGradients } from './reduceGradient';

afterEach(() => restoreStockReduceGradients());

interface Case { op: 'mean' | 'sum'; shape: number[]; axis: number | number[]; keepDims: boolean }
const CASES: Case[] = [
  { op: 'mean', shape: [4, 7, 7, 5], axis: [1, 2], keepDims: false }, // global average pooling
  { op: 'mean', shape: [3, 6], axis: -1, keepDims: true },
  { op: 'mean', shape: [2, 3, 4], axis: [0, 1, 2], keepDims: false },
  { op: 'sum', shape: [4, 7, 7, 5], axis: [0, 1, 2], keepDims: false }, // per-channel sums
  { op: 'sum', shape: [5, 1, 3], axis: 1, keepDims: false },
];

/** The gradient of Σ w·op(x) in x, and the floats the backend was handed from the host meanwhile. */
function gradOf(c: Case): { g: Float32Array; hostFloats: number } {
  const x = tf.randomNormal(c.shape, 0, 1, 'float32', 3);
  const y = tf[c.op](x, c.axis, c.keepDims);
  const w = tf.randomNormal(y.shape, 0, 1, 'float32', 4);
  const backend = tf.backend() as unknown as { write(values: ArrayLike<number> | null, ...rest: unknown[]): unknown };
  const write = backend.write;
  let hostFloats = 0;
  backend.write = function (this: unknown, values, ...rest) {
    hostFloats += values?.length ?? 0;
    return write.call(this, values, ...rest);
  };
  try {
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf[c.op](v, c.axis, c.keepDims), w)))(x);
    const out = { g: g.dataSync() as Float32Array, hostFloats };
    tf.dispose([x, y, w, g]);
    return out;
  } finally {
    backend.write = write;
  }
}

describe('lean Mean and Sum gradients', () => {
  it.each(CASES)('$op over $axis of $shape on cpu: the stock values', async (c) => {
    await tf.setBackend('cpu');
    const stock = gradOf(c);
    registerLeanReduceGradients();
    expect(Array.from(gradOf(c).g)).toEqual(Array.from(stock.g));
  });

  // On wasm every kernel writes its output in the backend's heap, so what the host hands the
  // backend is what the gradient built in JavaScript (on cpu every kernel's output counts).
  it.each(CASES)('$op over $axis of $shape on wasm: the stock values, without a host array of x\'s size', async (c) => {
    await tf.setBackend('wasm');
    const stock = gradOf(c);
    registerLeanReduceGradients();
    const lean = gradOf(c);
    const size = c.shape.reduce((a, b) => a * b, 1);
    expect(Array.from(lean.g)).toEqual(Array.from(stock.g));
    expect(stock.hostFloats).toBeGreaterThanOrEqual(size); // tfjs-core's dy·ones(x.shape)
    expect(lean.hostFloats).toBeLessThan(size);
  });
});
