/** AFD values and distances (RTK.md AFD steps 5–6). */
import * as tf from '@tensorflow/tfjs';
import { fusedAfdAvailable, fusedSqDistanceRows } from '../backend/fusedAfd';
import { energyMap, normalizedEnergy, resizeEnergy, resizeOperator } from './energy';

/** Cached resize operators keyed by `${h}x${w}->${H}x${W}` (see energy.ts). */
export type ResizeCache = Map<string, tf.Tensor2D>;

export function resizeKey(h: number, w: number, H: number, W: number): string {
  return `${h}x${w}->${H}x${W}`;
}

/** Builds (outside any tidy) the resize operator every student→teacher pair needs. */
export function buildResizeCache(teacherSizes: [number, number][], studentSizes: [number, number][]): ResizeCache {
  const cache: ResizeCache = new Map();
  for (const [H, W] of teacherSizes) {
    for (const [h, w] of studentSizes) {
      const key = resizeKey(h, w, H, W);
      if ((h !== H || w !== W) && !cache.has(key)) cache.set(key, resizeOperator(h, w, H, W));
    }
  }
  return cache;
}

/**
 * D[b,n,m] = mean over the P_n = H_n·W_n pixels of (v̂_s^{m→n}[b] − v_t^n[b])², where
 *   v_t^n     = L2-normalise(flatten(mean_c (F_t^n)²))                  [B,P_n]
 *   v̂_s^{m→n} = L2-normalise(flatten(resize_{→H_n×W_n}(mean_c (F_s^m)²)))  [B,P_n]
 * (resize: area average when shrinking, nearest replication when growing; energy.ts).
 * tTaps: T × [B,H_n,W_n,C_n]; sTaps: S × [B,h_m,w_m,c_m] → D [B,T,S].
 * The caller decides whether the teacher taps are on the tape (FeatureAttention cuts them).
 */
export function afdDistance(tTaps: tf.Tensor4D[], sTaps: tf.Tensor4D[], cache?: ResizeCache): tf.Tensor3D {
  return tf.tidy(() => afdDistanceTo(tTaps.map(teacherValues), sTaps, cache));
}

/** v_t = L2-normalise(flatten(mean_c F²)) of one teacher tap, with its map size: [B,H·W]. */
export interface TeacherValues {
  values: tf.Tensor2D;
  height: number;
  width: number;
}

export function teacherValues(t: tf.Tensor4D): TeacherValues {
  return { values: normalizedEnergy(energyMap(t)), height: t.shape[1], width: t.shape[2] };
}

/**
 * D from precomputed teacher values (FeatureAttention computes them off the gradient tape, so
 * the tape records only the student side). vts: T × v_t^n; sTaps: S × [B,h_m,w_m,c_m] → [B,T,S].
 */
export function afdDistanceTo(vts: TeacherValues[], sTaps: tf.Tensor4D[], cache?: ResizeCache): tf.Tensor3D {
  return tf.tidy(() => {
    const sEnergy = sTaps.map(energyMap); // S × [B,h,w]
    // Teacher taps of one resolution share the resized student values (a deep teacher has
    // several taps per stage), so they are built once per resolution.
    const byResolution = new Map<string, tf.Tensor3D>();
    const studentValues = (H: number, W: number): tf.Tensor3D => {
      const key = `${H}x${W}`;
      let vs = byResolution.get(key);
      if (!vs) {
        vs = tf.stack(sEnergy.map((e) => normalizedEnergy(resizeEnergy(e, H, W, cache?.get(resizeKey(e.shape[1], e.shape[2], H, W))))), 1) as tf.Tensor3D;
        byResolution.set(key, vs); // [B,S,P]
      }
      return vs;
    };
    const fused = fusedAfdAvailable();
    const rows = vts.map(({ values, height, width }) => {
      // WebGPU: D's row for one teacher tap in one kernel forward, one backward (backend/fusedAfd.ts).
      if (fused) return fusedSqDistanceRows(studentValues(height, width), values);
      const diff = tf.sub(studentValues(height, width), tf.expandDims(values, 1)); // [B,S,P]
      return tf.mean(tf.square(diff), -1); // [B,S]
    });
    return tf.stack(rows, 1) as tf.Tensor3D;
  });
}
