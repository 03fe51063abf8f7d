/**
 * The one loss entry point the trainer calls inside `tf.variableGrads` (RTK.md totals):
 *
 *   student-alone  total = CE
 *   kd             total = CE + KD
 *   at             total = CE + KD + β_at·Σ_pairs mean_b ‖a_s − a_t‖²
 *   afd            total = CE + KD + β·L_afd
 *   rtk            total = CE + KD + β·L_rtk   (β·L_afd while epoch < warmupEpochs)
 *
 * KD = α·τ²·KL with α, τ from options.kd (RTK.md: 0.9 and 4). `feat` is the weighted feature
 * term, so total = ce + kd + feat always (kd and feat are 0 where a method has none).
 * Teacher logits and taps are cut from the tape inside kd/at/attention; still, compute the
 * teacher's forward pass outside the tape (before variableGrads) so no teacher op is recorded.
 * During the RTK warm-up the returned mask is all ones (every key was distilled) and the
 * influence is the real one, so the key explorer can show what the selection would be.
 */
import * as tf from '@tensorflow/tfjs';
import type { MethodId, MethodOptions } from '../../domain';
import { atLoss, atPairs } from './at';
import type { FeatureAttention } from './attention';
import { crossEntropy } from './ce';
import { kdLoss } from './kd';
import { afdLoss, rtkLoss } from './rtk';
import type { TapShape, TeacherTap } from '../types';
import { teacherTapShape } from './teacherTap';

export interface MethodInputs {
  /** [B] class ids (int32). */
  labels: tf.Tensor1D;
  /** [B,C]. */
  studentLogits: tf.Tensor2D;
  /** S × [B,h,w,c]. */
  studentTaps: tf.Tensor4D[];
  /** [B,C]; needed by every method but student-alone. */
  teacherLogits?: tf.Tensor2D;
  /** T × [B,H,W,C] or their summaries (teacherTap.ts); needed by at, afd, rtk. */
  teacherTaps?: TeacherTap[];
  /** Needed by afd and rtk. */
  attention?: FeatureAttention;
  /** Current epoch (0-based), for the RTK warm-up. */
  epoch: number;
}

export interface MethodLoss {
  total: tf.Scalar;
  ce: tf.Scalar;
  kd: tf.Scalar;
  feat: tf.Scalar;
  /** α [B,T,S] (afd, rtk). */
  alpha?: tf.Tensor3D;
  /** Kept keys r [B,T] (rtk). */
  mask?: tf.Tensor2D;
  /** Influence I [B,T] (rtk). */
  influence?: tf.Tensor2D;
}

function need<T>(value: T | undefined, what: string, method: MethodId): T {
  if (value === undefined) throw new Error(`methodLoss('${method}') needs ${what}; pass it in the inputs`);
  return value;
}

const shapeOf = (x: tf.Tensor4D): TapShape => [x.shape[1], x.shape[2], x.shape[3]];

/**
 * Total loss of `method` and its parts (see top). Runs in tf.tidy; returns only new tensors.
 */
export function methodLoss(method: MethodId, options: MethodOptions, inputs: MethodInputs): MethodLoss {
  return tf.tidy(() => computeLoss(method, options, inputs) as unknown as tf.TensorContainerObject) as unknown as MethodLoss;
}

function computeLoss(method: MethodId, options: MethodOptions, inputs: MethodInputs): MethodLoss {
  const ce = crossEntropy(inputs.studentLogits, inputs.labels);
  if (method === 'student-alone') return { total: tf.clone(ce), ce, kd: tf.scalar(0), feat: tf.scalar(0) };

  const teacherLogits = need(inputs.teacherLogits, 'teacherLogits', method);
  const kd = kdLoss(inputs.studentLogits, teacherLogits, options.kd);
  if (method === 'kd') return { total: tf.add(ce, kd) as tf.Scalar, ce, kd, feat: tf.scalar(0) };

  const tTaps = need(inputs.teacherTaps, 'teacherTaps', method);
  const sTaps = inputs.studentTaps;
  const finish = (feat: tf.Scalar, extra: Partial<MethodLoss> = {}): MethodLoss =>
    ({ total: tf.addN([ce, kd, feat]) as tf.Scalar, ce, kd, feat, ...extra });

  if (method === 'at') {
    const pairs = atPairs(tTaps.map(teacherTapShape), sTaps.map(shapeOf));
    return finish(atLoss(tTaps, sTaps, pairs, options.at.betaAt));
  }

  const attention = need(inputs.attention, 'the attention module', method);
  const { alpha, dist, z } = attention.forward(tTaps, sTaps, true);
  const beta = options.afd.beta;
  // β goes into the loss functions (one kernel on WebGPU, a multiply elsewhere).
  if (method === 'afd') return finish(afdLoss(alpha, dist, beta), { alpha });

  // The warm-up keeps every key: β·L_afd, an all-ones mask, the real influence.
  const rtk = rtkLoss(alpha, dist, z, options.rtk, beta, inputs.epoch < options.rtk.warmupEpochs);
  return finish(rtk.loss, { alpha, mask: rtk.mask, influence: rtk.influence });
}
