/**
 * TappedModel.apply(x, true) on WebGPU runs the fused batch-norm plan (trainingPlan.ts); it must
 * give what tfjs-layers gives on cpu: logits, taps, gradients of every trainable weight and the
 * updated moving statistics, for every architecture (plain, residual, separable blocks).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../domain';
import { fusedBatchNormAvailable } from '../backend/fusedBatchNorm';
import { webgpuCounter } from '../backend/webgpuCounter';
import { flushWebGpu } from '../backend/webgpuRaw';
import { startTrainingWebGpu } from '../backend/webgpuTestDevice';
import { buildModel } from './tapped';
import { fusedTrainingApply } from './trainingPlan';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

function rand(n: number, seed: number): Float32Array {
  let s = seed * 2654435761 >>> 0;
  return Float32Array.from({ length: n }, () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; });
}

interface StepResult { outputs: number[][]; grads: Record<string, number[]>; moving: number[][] }

/** One training forward + gradients of a fixed loss of logits and taps, on the active backend. */
async function step(spec: ModelSpec, B: number): Promise<StepResult> {
  const tm = buildModel(spec, [12, 12, 1], 10, 3);
  const x = tf.tensor4d(rand(B * 12 * 12, 5), [B, 12, 12, 1]);
  let outs: tf.Tensor[] = [];
  const { value, grads } = tf.variableGrads(() => {
    const { logits, taps } = tm.apply(x, true);
    outs = [logits, ...taps].map((t) => tf.keep(t));
    // Every output reaches the loss, with weights that differ per value.
    return tf.addN(outs.map((t, i) => tf.sum(tf.mul(t, tf.tensor(rand(t.size, 11 + i), t.shape))))) as tf.Scalar;
  }, tm.model.trainableWeights.map((w) => w.read() as tf.Variable));
  flushWebGpu();
  const read = async (t: tf.Tensor) => Array.from(await t.data());
  const byName = Object.fromEntries(tm.model.trainableWeights.map((w) => [(w.read() as tf.Variable).name, w.originalName]));
  const result: StepResult = {
    outputs: await Promise.all(outs.map(read)),
    grads: Object.fromEntries(await Promise.all(Object.entries(grads).map(async ([k, g]) => [byName[k], await read(g)] as const))),
    moving: await Promise.all(tm.model.nonTrainableWeights.map((w) => read(w.read()))),
  };
  tf.dispose([x, value, ...outs, ...Object.values(grads)]);
  tm.model.dispose();
  return result;
}

function close(got: number[], want: number[], what: string, tol: number): void {
  const scale = Math.max(1e-3, ...want.map(Math.abs));
  let worst = 0;
  got.forEach((g, i) => { worst = Math.max(worst, Math.abs(g - want[i])); });
  expect(worst / scale, what).toBeLessThan(tol);
}

const SPECS: ModelSpec[] = [
  { arch: 'cnn-s1', width: 8, depth: 1 },
  { arch: 'resnet-s1', width: 4, depth: 2 },
  { arch: 'mobile-s1', width: 6, depth: 1 },
  { arch: 'resnet-t1', width: 5, depth: 1 },
];

describe('fused batch-norm training plan on WebGPU (Dawn) vs tfjs-layers on cpu', () => {
  for (const spec of SPECS) {
    for (const B of [1, 3]) {
      it(`${spec.arch} w${spec.width} d${spec.depth}, batch ${B}: outputs, gradients and moving statistics`, async (ctx) => {
        if (!available) ctx.skip();
        await tf.setBackend('cpu');
        expect(fusedBatchNormAvailable()).toBe(false);
        const want = await step(spec, B);
        await tf.setBackend('webgpu');
        expect(fusedBatchNormAvailable()).toBe(true);
        const before = tf.memory().numTensors;
        const got = await step(spec, B);
        expect(tf.memory().numTensors).toBe(before);
        want.outputs.forEach((w, i) => close(got.outputs[i], w, `output ${i}`, 1e-4));
        expect(Object.keys(got.grads).sort()).toEqual(Object.keys(want.grads).sort());
        for (const [k, w] of Object.entries(want.grads)) close(got.grads[k], w, `d ${k}`, 2e-4);
        want.moving.forEach((w, i) => close(got.moving[i], w, `moving ${i}`, 1e-4));
      });
    }
  }

  it('absorbs each ReLU that alone reads a BN; a BN before a residual add runs without one', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    // Large enough that no elementwise op is handed to the CPU (TF.js does that below 1000 values).
    const x = tf.tensor4d(rand(4 * 32 * 32, 2), [4, 32, 32, 1]);
    const counter = webgpuCounter()!;
    const count = (spec: ModelSpec) => {
      const tm = buildModel(spec, [32, 32, 1], 10, 1);
      tf.dispose(tf.tidy(() => fusedTrainingApply(tm.model, x)));
      counter.reset();
      const outs = tf.tidy(() => fusedTrainingApply(tm.model, x));
      flushWebGpu();
      expect(outs.map((t) => t.shape)).toEqual(tm.model.outputs.map((o) => [4, ...o.shape.slice(1)]));
      const by = Object.fromEntries(counter.breakdown(50).map((r) => [r.program.split(':')[0], r.dispatches]));
      tf.dispose(outs);
      const layersBn = tm.model.layers.filter((l) => l.getClassName() === 'BatchNormalization').length;
      tm.model.dispose();
      return { bn: by.RtkBatchNormApply ?? 0, relu: by.Relu ?? 0, layersBn };
    };
    // cnn-s1: stem + 3 blocks, each conv-BN-ReLU.
    expect(count({ arch: 'cnn-s1', width: 8, depth: 1 })).toEqual({ bn: 4, relu: 0, layersBn: 4 });
    // resnet-s1 d1: stem BN-ReLU fused; per block conv-BN-ReLU fused, conv-BN (+ shortcut BN) then add, ReLU.
    expect(count({ arch: 'resnet-s1', width: 4, depth: 1 })).toEqual({ bn: 9, relu: 3, layersBn: 9 });
    x.dispose();
  });
});
