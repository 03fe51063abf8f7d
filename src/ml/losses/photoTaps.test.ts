/**
 * Feature losses when teacher and student taps differ in size, as with a 224 px MobileNetV2
 * teacher (taps 56, 28, 14, 7) and photo-plan students at 224 or 160 px.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS } from '../../domain';
import type { TapShape } from '../types';
import { buildModel } from '../models';
import { atPairs } from './at';
import { FeatureAttention } from './attention';
import { methodLoss } from './method';
import { refAfdDistance } from './reference';
import { randTap, relErr, rng, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The default taps of torchvision's MobileNetV2 at 224 px (last output at each resolution after the stem). */
const MOBILENET_V2_224: TapShape[] = [[56, 56, 24], [28, 28, 32], [14, 14, 96], [7, 7, 1280]];
const studentTaps = (side: number, plan?: 'small' | 'photo') => {
  const tm = buildModel({ arch: 'cnn-s1', width: 24, depth: 1, plan }, [side, side, 3], 10, 1);
  const shapes = tm.tapShapes;
  tm.model.dispose();
  return shapes;
};

describe('AT pairs with a 224 px teacher', () => {
  it('pairs every stage of a photo-plan student at 224 px', () => {
    expect(atPairs(MOBILENET_V2_224, studentTaps(224))).toEqual([[0, 0], [1, 1], [2, 2], [3, 3]]);
  });
  it('pairs only the shared sizes of a small-plan student (112, 56, 28) and none at 160 px', () => {
    expect(atPairs(MOBILENET_V2_224, studentTaps(224, 'small'))).toEqual([[0, 1], [1, 2]]);
    expect(atPairs(MOBILENET_V2_224, studentTaps(160))).toEqual([]);
  });
});

describe('AFD / RTK with taps of other sizes', () => {
  const r = rng(26);
  const tShapes: TapShape[] = MOBILENET_V2_224.map(([h, w]) => [h, w, 3]);
  const sShapes: TapShape[] = [[40, 40, 2], [20, 20, 4], [10, 10, 4], [5, 5, 8]]; // a photo student at 160 px
  const tT = tShapes.map(([h, w, c]) => randTap(r, 2, h, w, c));
  const sT = sShapes.map(([h, w, c]) => randTap(r, 2, h, w, c));

  it('D resizes each student energy map to the teacher tap (non-integer ratios too) as the reference does', () => {
    const att = new FeatureAttention(tShapes, sShapes, 8, 1);
    const got = tf.tidy(() => Array.from(att.forward(tT.map(toTensor4d), sT.map(toTensor4d), false).dist.dataSync()));
    att.dispose();
    expect(relErr(got, refAfdDistance(tT, sT).flat(2))).toBeLessThan(1e-4);
  });

  it.each(['afd', 'rtk', 'at'] as const)('%s: finite loss and student gradients', (method) => {
    const att = new FeatureAttention(tShapes, sShapes, 8, 2);
    const teacherTaps = tT.map(toTensor4d);
    const sVars = sT.map((t) => tf.variable(toTensor4d(t)));
    const logits = tf.variable(tf.randomNormal([2, 10], 0, 1, 'float32', 3) as tf.Tensor2D);
    const labels = tf.tensor1d([1, 7], 'int32');
    const teacherLogits = tf.randomNormal([2, 10], 0, 1, 'float32', 4) as tf.Tensor2D;
    const step = () => tf.variableGrads(() => methodLoss(method, { ...DEFAULT_OPTIONS, rtk: { ...DEFAULT_OPTIONS.rtk, k: 1 } }, {
      labels, studentLogits: logits as unknown as tf.Tensor2D, studentTaps: sVars as unknown as tf.Tensor4D[], teacherLogits, teacherTaps, attention: att, epoch: 0,
    }).total); // every trainable variable, as a training step: the student's and the attention module's
    // The first step builds the resize operators the module keeps; the second must leak nothing.
    const first = step();
    tf.dispose([first.value, ...Object.values(first.grads)]);
    const before = tf.memory().numTensors;
    const { value, grads } = step();
    const loss = value.dataSync()[0];
    expect(Number.isFinite(loss)).toBe(true);
    const gradTaps = sVars.map((v) => grads[v.name]);
    expect(tf.tidy(() => gradTaps.every((g) => !g || g.isFinite().all().dataSync()[0] === 1))).toBe(true);
    // AT has no pair at these sizes, so no student tap gets a gradient; AFD and RTK reach every student tap.
    const moved = tf.tidy(() => gradTaps.map((g) => !!g && g.abs().max().dataSync()[0] > 0));
    expect(moved).toEqual(method === 'at' ? [false, false, false, false] : [true, true, true, true]);
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...teacherTaps, ...sVars, logits, labels, teacherLogits]);
    att.dispose();
  });
});
