/**
 * The trainer computes gradients with tf.variableGrads(() => loss(tm.apply(x, true))). These
 * tests pin down that BN moving statistics update in that setting, and only in training mode.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STUDENT, DEFAULT_TEACHER } from '../../domain';
import { buildModel } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function movingStats(m: tf.LayersModel): number[][] {
  return m.nonTrainableWeights.map((w) => Array.from(w.read().dataSync()));
}

describe.each([DEFAULT_STUDENT, DEFAULT_TEACHER, { arch: 'mobile-s1' as const, width: 8, depth: 1 }])('$arch', (spec) => {
  it('apply(x, true) inside tf.variableGrads updates every BN moving mean and variance, once', () => {
    const tm = buildModel(spec, [8, 8, 1], 10, 1);
    const x = tf.randomUniform([8, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const names = tm.model.nonTrainableWeights.map((w) => w.originalName);
    expect(names.filter((n) => n.endsWith('moving_mean')).length).toBe(names.length / 2);
    const before = movingStats(tm.model);
    const tensorsBefore = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const { logits } = tm.apply(x, true);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    });
    // Gradients cover trainable weights only (BN statistics are not trained by gradient).
    expect(Object.keys(grads).length).toBe(tm.model.trainableWeights.length);
    value.dispose();
    tf.dispose(grads);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    const after = movingStats(tm.model);
    after.forEach((a, i) => expect(a, names[i]).not.toEqual(before[i]));
    // Momentum 0.9: moving = 0.9·old + 0.1·batch. The stem's batch mean is checked directly.
    const stemMean = tf.tidy(() => {
      const stem = tf.model({ inputs: tm.model.inputs, outputs: tm.model.getLayer('stem_conv').output as tf.SymbolicTensor });
      return Array.from((stem.predict(x) as tf.Tensor).mean([0, 1, 2]).dataSync());
    });
    const iMean = names.indexOf('stem_bn/moving_mean');
    after[iMean].forEach((v, c) => expect(v).toBeCloseTo(0.9 * before[iMean][c] + 0.1 * stemMean[c], 5));
    x.dispose();
    labels.dispose();
    tm.model.dispose();
  });

  it('apply(x, false) leaves the moving statistics alone and leaks nothing inside tf.tidy', () => {
    const tm = buildModel(spec, [8, 8, 1], 10, 1);
    const before = movingStats(tm.model);
    const n = tf.memory().numTensors;
    tf.tidy(() => { tm.apply(tf.ones([2, 8, 8, 1]) as tf.Tensor4D, false); });
    tf.tidy(() => { tm.apply(tf.ones([2, 8, 8, 1]) as tf.Tensor4D, true); });
    expect(tf.memory().numTensors).toBe(n);
    tm.model.dispose();
    expect(before.length).toBeGreaterThan(0);
  });
});
