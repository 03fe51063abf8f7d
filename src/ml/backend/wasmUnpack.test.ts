import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './wasmKernels';
import { testValues } from './testValues';

beforeAll(() => registerWasmTrainingKernels());

async function unstackOn(backend: string, shape: number[], axis: number, dtype: 'float32' | 'int32'): Promise<number[][]> {
  await tf.setBackend(backend);
  const v = testValues(shape.reduce((a, b) => a * b, 1), 5);
  const x = tf.tensor(dtype === 'int32' ? Int32Array.from(v, (a) => Math.round(a * 100)) : v, shape, dtype);
  const parts = tf.unstack(x, axis);
  const out = parts.map((p) => Array.from(p.dataSync()));
  parts.forEach((p) => expect(p.shape).toEqual(shape.filter((_, i) => i !== (axis < 0 ? axis + shape.length : axis))));
  tf.dispose([x, ...parts]);
  return out;
}

describe('Unpack on wasm from heap views', () => {
  const cases: [number[], number, 'float32' | 'int32'][] = [
    [[4, 3, 5], 1, 'float32'], [[4, 3, 5], 0, 'float32'], [[4, 3, 5], -1, 'float32'], [[2, 6, 7, 3], 1, 'int32'], [[5], 0, 'float32'],
  ];
  it.each(cases)('unstack of %j along %i (%s) equals cpu', async (shape, axis, dtype) => {
    expect(await unstackOn('wasm', shape, axis, dtype)).toEqual(await unstackOn('cpu', shape, axis, dtype));
  });

  it('is what the gradient of tf.stack runs, with the same values as cpu and no copy of the input on the host', async () => {
    const grad = async (backend: string) => {
      await tf.setBackend(backend);
      const xs = [0, 1, 2].map((i) => tf.tensor(testValues(8 * 20, i + 1), [8, 20]));
      const w = tf.tensor(testValues(8 * 3 * 20, 9), [8, 3, 20]);
      const be = tf.backend() as unknown as { readSync(id: unknown): unknown };
      const readSync = be.readSync;
      let reads = 0;
      be.readSync = function (this: unknown, id: unknown) { reads++; return readSync.call(this, id); };
      try {
        const gs = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => tf.sum(tf.mul(tf.stack([a, b, c], 1), w)))(xs);
        const values = gs.map((g) => Array.from(g.dataSync()));
        tf.dispose([...xs, w, ...gs]);
        return { values, reads: reads - gs.length }; // less the reads of the results themselves
      } finally {
        be.readSync = readSync;
      }
    };
    const wasm = await grad('wasm');
    expect(wasm.values).toEqual((await grad('cpu')).values);
    expect(wasm.reads).toBe(0);
  });
});
