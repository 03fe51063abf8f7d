import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { atLoss, atPairs } from './at';
import { crossEntropy } from './ce';
import { kdLoss } from './kd';
import { refAtLoss, refCrossEntropy, refKd } from './reference';
import { randMatrix, randTap, rng, tapShape, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const close = (a: number, b: number, rel = 1e-4) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.max(1e-6, Math.abs(b)));

describe('crossEntropy', () => {
  it('matches the reference on fixed logits', () => {
    const logits = randMatrix(rng(1), 5, 7, -3, 3);
    const labels = [0, 6, 3, 3, 1];
    const got = tf.tidy(() => crossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).dataSync()[0]);
    close(got, refCrossEntropy(logits, labels));
  });

  it('is stable for huge logits', () => {
    const logits = [[1000, 0, -1000], [0, 500, 499]];
    const got = tf.tidy(() => crossEntropy(tf.tensor2d(logits), tf.tensor1d([1, 2], 'int32')).dataSync()[0]);
    expect(Number.isFinite(got)).toBe(true);
    close(got, refCrossEntropy(logits, [1, 2]));
  });
});

describe('kdLoss', () => {
  it('matches α·τ²·KL from the reference', () => {
    const r = rng(2);
    const s = randMatrix(r, 4, 6, -4, 4);
    const t = randMatrix(r, 4, 6, -4, 4);
    for (const [alpha, tau] of [[0.9, 4], [1, 1], [0.5, 2]]) {
      const got = tf.tidy(() => kdLoss(tf.tensor2d(s), tf.tensor2d(t), { alpha, tau }).dataSync()[0]);
      close(got, refKd(s, t, alpha, tau));
    }
  });

  it('is zero when the student equals the teacher, and sends no gradient to the teacher', () => {
    const s = randMatrix(rng(3), 3, 5);
    expect(Math.abs(tf.tidy(() => kdLoss(tf.tensor2d(s), tf.tensor2d(s), { alpha: 0.9, tau: 4 }).dataSync()[0]))).toBeLessThan(1e-6);
    const st = tf.tensor2d(s);
    const tt = tf.tensor2d(randMatrix(rng(4), 3, 5));
    expect(() => tf.grad((t: tf.Tensor) => kdLoss(st, t as tf.Tensor2D, { alpha: 0.9, tau: 4 }))(tt)).toThrow(/Cannot compute gradient/);
    tf.dispose([st, tt]);
  });
});

describe('atPairs', () => {
  it('pairs the last teacher and last student tap of every shared spatial size', () => {
    const teacher: [number, number, number][] = [[28, 28, 16], [28, 28, 16], [14, 14, 32], [14, 14, 32], [7, 7, 64], [7, 7, 64]];
    const student: [number, number, number][] = [[28, 28, 8], [14, 14, 16], [14, 14, 16], [4, 4, 32]];
    expect(atPairs(teacher, student)).toEqual([[1, 0], [3, 2]]);
    expect(atPairs([[8, 8, 4]], [[4, 4, 4]])).toEqual([]);
  });
});

describe('atLoss', () => {
  it('matches β_at·Σ_pairs mean_b ‖a_s − a_t‖² from the reference', () => {
    const r = rng(5);
    const tT = [randTap(r, 3, 6, 6, 4), randTap(r, 3, 3, 3, 5)];
    const sT = [randTap(r, 3, 6, 6, 2), randTap(r, 3, 3, 3, 3)];
    const pairs = atPairs(tT.map(tapShape), sT.map(tapShape));
    expect(pairs).toEqual([[0, 0], [1, 1]]);
    const got = tf.tidy(() => atLoss(tT.map(toTensor4d), sT.map(toTensor4d), pairs, 1000).dataSync()[0]);
    close(got, refAtLoss(tT, sT, pairs, 1000));
  });

  it('sends no gradient to the teacher taps and leaks no tensor', () => {
    const r = rng(6);
    const t = toTensor4d(randTap(r, 2, 4, 4, 3));
    const s = toTensor4d(randTap(r, 2, 4, 4, 2));
    expect(() => tf.grad((x: tf.Tensor) => atLoss([x as tf.Tensor4D], [s], [[0, 0]], 1000))(t)).toThrow(/Cannot compute gradient/);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      atLoss([t], [s], [[0, 0]], 1000);
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([t, s]);
  });
});
