/** Attention transfer (RTK.md "at", Zagoruyko & Komodakis 2017). */
import * as tf from '@tensorflow/tfjs';
import type { TapShape, TeacherTap } from '../types';
import { energyMap, normalizedEnergy } from './energy';
import { stopGradient } from './stopGradient';
import { isSummary, teacherTapShape } from './teacherTap';

/**
 * Which (teacher tap, student tap) pairs AT compares: taps of equal spatial size [H,W].
 * One pair per spatial size shared by both networks, made of the LAST teacher tap and the LAST
 * student tap at that size (the deepest feature of each stage, as in the AT paper's
 * "end of each group" pairing). Pairs are ordered by teacher tap index.
 * Returns [teacherIndex, studentIndex][]; empty when no size is shared.
 */
export function atPairs(teacherShapes: TapShape[], studentShapes: TapShape[]): [number, number][] {
  const lastStudent = new Map<string, number>();
  studentShapes.forEach(([h, w], m) => lastStudent.set(`${h}x${w}`, m));
  const lastTeacher = new Map<string, number>();
  teacherShapes.forEach(([h, w], n) => lastTeacher.set(`${h}x${w}`, n));
  const pairs: [number, number][] = [];
  for (const [size, n] of lastTeacher) {
    const m = lastStudent.get(size);
    if (m !== undefined) pairs.push([n, m]);
  }
  return pairs.sort((a, b) => a[0] - b[0]);
}

/**
 * L_at = β_at · Σ_(n,m)∈pairs mean_b ‖a_s^m[b] − a_t^n[b]‖²,
 * a = L2-normalise(flatten(mean_c F²)) ([B,H·W], see energy.ts).
 * tTaps: [B,H,W,C] or their summaries (teacherTap.ts), sTaps: [B,H,W,C] (channel counts may
 * differ). Teacher taps are cut from the tape.
 */
export function atLoss(tTaps: TeacherTap[], sTaps: tf.Tensor4D[], pairs: [number, number][], betaAt: number): tf.Scalar {
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const [n, m] of pairs) {
      const t = tTaps[n];
      const s = sTaps[m];
      if (!t || !s) throw new Error(`atLoss: pair (${n}, ${m}) names a tap that was not passed`);
      const [th, tw] = teacherTapShape(t);
      if (th !== s.shape[1] || tw !== s.shape[2]) {
        throw new Error(`atLoss: teacher tap ${n} is ${th}×${tw} but student tap ${m} is ${s.shape[1]}×${s.shape[2]}; pair taps of equal size (atPairs)`);
      }
      const at = normalizedEnergy(isSummary(t) ? stopGradient(t.energy) : energyMap(stopGradient(t)));
      const as = normalizedEnergy(energyMap(s));
      total = tf.add(total, tf.mean(tf.sum(tf.square(tf.sub(as, at)), -1)));
    }
    return tf.mul(total, betaAt) as tf.Scalar;
  });
}
