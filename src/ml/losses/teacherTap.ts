/**
 * A teacher tap as the losses read it: the feature map F [B,H,W,C] of a teacher in this thread,
 * or the summary a teacher in another worker sends (types.ts TapSummary): its per-channel mean
 * (AFD's queries) and its energy map mean_c F² (AFD's D, AT). Both give the same values; the
 * summary is what crosses between workers, so a large teacher's taps never do.
 */
import * as tf from '@tensorflow/tfjs';
import type { TapShape, TapSummary, TeacherTap } from '../types';
import { energyMap } from './energy';

export const isSummary = (t: TeacherTap): t is TapSummary => !(t instanceof tf.Tensor);

/** [H,W,C] of the tap. */
export function teacherTapShape(t: TeacherTap): TapShape {
  return isSummary(t) ? [t.energy.shape[1], t.energy.shape[2], t.pooled.shape[1]] : [t.shape[1], t.shape[2], t.shape[3]];
}

/** mean_{h,w} F: [B,C], a new tensor either way (the caller owns it). */
export function tapPooled(t: TeacherTap): tf.Tensor2D {
  return isSummary(t) ? tf.clone(t.pooled) : tf.mean(t, [1, 2]) as tf.Tensor2D;
}

/** mean_c F² (energy.ts energyMap): [B,H,W]. */
export function tapEnergy(t: TeacherTap): tf.Tensor3D {
  return isSummary(t) ? t.energy : energyMap(t);
}

/** The summary of a feature map F [B,H,W,C] (what a teacher worker sends for it). Caller owns it. */
export function summarizeTap(f: tf.Tensor4D): TapSummary {
  return { pooled: tapPooled(f), energy: energyMap(f) };
}
