import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from './tapped';
import { registerLeanBatchNormGradient, restoreStockBatchNormGradient } from './bnGradient';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => restoreStockBatchNormGradient());

/** Gradients of a weighted sum of a BN model's outputs with respect to its input and variables. */
function grads(f: () => tf.Tensor, vars: tf.Variable[]): Float32Array[] {
  const { value, grads: g } = tf.variableGrads(() => tf.sum(f()) as tf.Scalar, vars);
  const out = vars.map((v) => Float32Array.from(g[v.name].dataSync()));
  tf.dispose([value, ...Object.values(g)]);
  return out;
}

function close(a: Float32Array[], b: Float32Array[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => {
    let scale = 1e-6;
    let err = 0;
    for (let j = 0; j < x.length; j++) { scale = Math.max(scale, Math.abs(b[i][j])); err = Math.max(err, Math.abs(x[j] - b[i][j])); }
    expect(err / scale).toBeLessThan(1e-4);
  });
}

describe('lean FusedBatchNorm gradient', () => {
  // (Without a scale, TF.js 4.22's own FusedBatchNorm fails to record the op for gradients, so
  // only the with-scale case exists in practice: tf.layers always passes γ.)
  it('equals the stock gradient through tf.moments (input, γ, β)', () => {
    const x = tf.variable(tf.randomNormal([4, 5, 5, 3], 0.3, 2, 'float32', 1), true, 'bn_x');
    const gamma = tf.variable(tf.randomNormal([3], 1, 0.5, 'float32', 2), true, 'bn_gamma');
    const beta = tf.variable(tf.randomNormal([3], 0, 0.5, 'float32', 3), true, 'bn_beta');
    const w = tf.randomNormal([4, 5, 5, 3], 0, 1, 'float32', 4);
    const withScale = () => tf.tidy(() => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.mul(tf.batchNorm(x, mean, variance, beta, gamma, 1e-3), w);
    });
    const stockA = grads(withScale, [x, gamma, beta]);
    registerLeanBatchNormGradient();
    close(grads(withScale, [x, gamma, beta]), stockA);
    restoreStockBatchNormGradient();
    tf.dispose([x, gamma, beta, w]);
  });

  it('equals the stock gradient for a whole student model in training mode', () => {
    const tm = buildModel({ arch: 'mobile-s1', width: 4, depth: 1 }, [8, 8, 1], 10, 5);
    const x = tf.randomUniform([6, 8, 8, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const vars = tm.model.trainableWeights.map((v) => v.read() as tf.Variable);
    const loss = () => tf.tidy(() => tf.mul(tm.apply(x, true).logits, tf.linspace(-1, 1, 10)));
    const before = grads(loss, vars);
    registerLeanBatchNormGradient();
    close(grads(loss, vars), before);
    restoreStockBatchNormGradient();
    tf.dispose(x);
    tm.model.dispose();
  });
});
