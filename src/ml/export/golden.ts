/**
 * golden.json of the PyTorch job export: one fixed batch as the studio computes it, for the
 * exported weights (the teacher, and the student's and attention module's initial weights).
 *
 *   teacher: logits [B,C] and taps T × [B,H,W,C]     frozen forward (frozenApply, as training)
 *   student: logits and taps S × [B,h,w,c]           training mode (batch statistics)
 *   z, α, D [B,T,S]                                  FeatureAttention.forward(…, training)
 *   losses: ce, kd (α·τ²·KL), at (Σ pairs, without β_at), afd (L_afd), rtk (L_rtk); the feature
 *           terms are unweighted (β and β_at are constants of config.json), so 1e-4 is absolute
 *   influence I [B,T], mask r [B,T]                  rtkLoss with the session's k
 * Arrays are flat and row-major (NHWC for taps). The caller saves the weights *before* this
 * runs: training-mode BN moves the moving statistics.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodOptions } from '../../domain';
import { atLoss, atPairs } from '../losses/at';
import type { FeatureAttention } from '../losses/attention';
import { crossEntropy } from '../losses/ce';
import { kdLoss } from '../losses/kd';
import { afdLoss, rtkLoss } from '../losses/rtk';
import { frozenApply } from '../models/frozen';
import type { TappedModel } from '../types';

export interface GoldenTap { name: string; shape: number[]; values: number[] }
export interface Golden {
  kind: 'rtk-golden';
  version: 1;
  tolerance: number;
  batch: { indices: number[]; shape: number[]; pixelMax: number; pixels: number[]; labels: number[] };
  teacher: { logits: number[]; taps: GoldenTap[] };
  student: { logits: number[]; taps: GoldenTap[] };
  z: number[]; alpha: number[]; dist: number[];
  losses: { ce: number; kd: number; at: number; afd: number; rtk: number };
  influence: number[]; mask: number[];
  options: MethodOptions;
}

const arr = async (t: tf.Tensor) => Array.from(await t.data());
const taps = async (names: string[], ts: tf.Tensor4D[]) =>
  Promise.all(ts.map(async (t, i) => ({ name: names[i], shape: t.shape.slice(), values: await arr(t) })));

export async function computeGolden(
  teacher: TappedModel, student: TappedModel, attention: FeatureAttention, options: MethodOptions,
  batch: { indices: number[]; pixels: Uint8Array; labels: Int32Array; pixelMax: number },
): Promise<Golden> {
  const [h, w, c] = student.inputShape;
  const B = batch.labels.length;
  const x = tf.tidy(() => tf.div(tf.tensor4d(Float32Array.from(batch.pixels), [B, h, w, c]), batch.pixelMax) as tf.Tensor4D);
  const y = tf.tensor1d(batch.labels, 'int32');
  const t = frozenApply(teacher, x);
  const s = student.apply(x, true);
  const { z, alpha, dist } = attention.forward(t.taps, s.taps, true);
  const pairs = atPairs(teacher.tapShapes, student.tapShapes);
  const rtk = rtkLoss(alpha, dist, z, options.rtk);
  const scalars = [crossEntropy(s.logits, y), kdLoss(s.logits, t.logits, options.kd), atLoss(t.taps, s.taps, pairs, 1), afdLoss(alpha, dist), rtk.loss];
  try {
    const [ce, kd, at, afd, rtkValue] = await Promise.all(scalars.map(async (v) => (await v.data())[0]));
    return {
      kind: 'rtk-golden', version: 1, tolerance: 1e-4,
      batch: { indices: batch.indices, shape: [B, h, w, c], pixelMax: batch.pixelMax, pixels: Array.from(batch.pixels), labels: Array.from(batch.labels) },
      teacher: { logits: await arr(t.logits), taps: await taps(teacher.tapNames, t.taps) },
      student: { logits: await arr(s.logits), taps: await taps(student.tapNames, s.taps) },
      z: await arr(z), alpha: await arr(alpha), dist: await arr(dist),
      losses: { ce, kd, at, afd, rtk: rtkValue },
      influence: await arr(rtk.influence), mask: await arr(rtk.mask), options,
    };
  } finally {
    tf.dispose([x, y, t.logits, ...t.taps, s.logits, ...s.taps, z, alpha, dist, rtk.mask, rtk.influence, ...scalars]);
  }
}
