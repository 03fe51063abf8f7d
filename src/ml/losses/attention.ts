/**
 * AFD's attention between teacher taps (queries) and student taps (keys), RTK.md AFD steps 1–6.
 *
 *   q_n  = BN(Linear_{C_n→d}(GAP(F_t^n)))                 Q  [B,T,d]   (no ReLU)
 *   k_m  = ReLU(BN(Linear_{C_m→d}(GAP(F_s^m))))           K  [B,S,d]
 *   K̃    = BN(Linear_{d→T·d}(K)) reshaped                K̃ [B,S,T,d] (one shared layer; the
 *          slice n of its weight is teacher n's own d×d bilinear matrix W_n; BN over B·S rows)
 *   Π    = P_t·P_sᵀ                                       [T,S], P_t [T,d], P_s [S,d] Xavier normal
 *   z[b,n,m] = (Q[b,n]·K̃[b,m,n] + Π[n,m]) / √d          [B,T,S]
 *   α    = softmax over m of z                            [B,T,S]
 *   D    = afdDistance(F_t, F_s)                          [B,T,S]  (afdValues.ts)
 *
 * Linear layers have no bias (BN's β is the bias; batchNorm.ts). Everything computed from the
 * teacher taps alone (their pooled vectors and energy values) is computed in `withoutGradient`:
 * nothing here can send gradient into the teacher, and the tape records only what trains.
 * Weight order for getWeights/setWeights (`weightNames`): for each teacher tap n
 * q{n}/W,gamma,beta; for each student tap m k{m}/W,gamma,beta; bil/W,gamma,beta; Pt; Ps;
 * then the BN statistics q{n}/movingMean,movingVar…, k{m}/…, bil/….
 */
import * as tf from '@tensorflow/tfjs';
import type { TapShape, TeacherTap } from '../types';
import { afdDistanceTo, buildResizeCache, teacherValues, type ResizeCache } from './afdValues';
import { afdDistanceGeometry, afdDistanceLayout, fusedAfdDistance, fusedAfdDistanceAvailable, fusedAfdTeacher, type AfdDistanceGeometry } from '../backend/fusedAfdDistance';
import { fusedAttention, fusedAttentionAvailable } from '../backend/fusedAttention';
import { globalAveragePool } from '../backend/fusedGap';
import { fusedLossesAvailable, fusedNormalizedEnergy } from '../backend/fusedLosses';
import { LinearBn } from './batchNorm';
import { NORM_EPS, normalizedEnergy, resizeMatrix } from './energy';
import { withoutGradient } from './stopGradient';
import { isSummary, tapEnergy, tapPooled, teacherTapShape } from './teacherTap';

let instances = 0;

/** A numeric seed per (seed, tag), so every parameter draws its own deterministic stream. */
export function seedFor(seed: number, tag: string): number {
  let h = 2166136261;
  for (const ch of `${seed}/${tag}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export interface AttentionOutput {
  /** Logits z [B,T,S]. */
  z: tf.Tensor3D;
  /** α = softmax over students of z, [B,T,S]. */
  alpha: tf.Tensor3D;
  /** Distances D [B,T,S]. */
  dist: tf.Tensor3D;
}

export class FeatureAttention {
  readonly T: number;
  readonly S: number;
  readonly query: LinearBn[];
  readonly key: LinearBn[];
  readonly bilinear: LinearBn;
  /** Positional embeddings P_t [T,d] and P_s [S,d]. */
  readonly Pt: tf.Variable;
  readonly Ps: tf.Variable;
  readonly weightNames: string[];
  private readonly resize: ResizeCache;
  /** The fused D's tap layout (WebGPU), built on first use. */
  private distGeometry: AfdDistanceGeometry | null = null;
  private readonly all: tf.Variable[];

  constructor(readonly teacherShapes: TapShape[], readonly studentShapes: TapShape[], readonly d: number, readonly seed: number) {
    if (!teacherShapes.length || !studentShapes.length) throw new Error('FeatureAttention needs at least one teacher tap and one student tap');
    this.T = teacherShapes.length;
    this.S = studentShapes.length;
    const id = `rtk-attn${instances++}`;
    this.query = teacherShapes.map((s, n) => new LinearBn(`${id}/q${n}`, s[2], d, seedFor(seed, `q${n}`)));
    this.key = studentShapes.map((s, m) => new LinearBn(`${id}/k${m}`, s[2], d, seedFor(seed, `k${m}`)));
    this.bilinear = new LinearBn(`${id}/bil`, d, this.T * d, seedFor(seed, 'bil'));
    // Xavier normal on a [rows, d] matrix: std = sqrt(2 / (fan_in + fan_out)) = sqrt(2 / (d + rows)).
    this.Pt = tf.tidy(() => tf.variable(tf.randomNormal([this.T, d], 0, Math.sqrt(2 / (this.T + d)), 'float32', seedFor(seed, 'Pt')), true, `${id}/Pt`));
    this.Ps = tf.tidy(() => tf.variable(tf.randomNormal([this.S, d], 0, Math.sqrt(2 / (this.S + d)), 'float32', seedFor(seed, 'Ps')), true, `${id}/Ps`));
    const layers = [...this.query, ...this.key, this.bilinear];
    const layerNames = [...this.query.map((_, n) => `q${n}`), ...this.key.map((_, m) => `k${m}`), 'bil'];
    this.weightNames = [
      ...layerNames.flatMap((l) => [`${l}/W`, `${l}/gamma`, `${l}/beta`]), 'Pt', 'Ps',
      ...layerNames.flatMap((l) => [`${l}/movingMean`, `${l}/movingVar`]),
    ];
    this.all = [...layers.flatMap((l) => l.trainable), this.Pt, this.Ps, ...layers.flatMap((l) => l.stats)];
    this.resize = buildResizeCache(teacherShapes.map((s) => [s[0], s[1]]), studentShapes.map((s) => [s[0], s[1]]));
  }

  /** Trainable variables, for the optimiser (BN statistics excluded). */
  get variables(): tf.Variable[] {
    return this.all.slice(0, this.all.length - 2 * (this.T + this.S + 1));
  }

  /**
   * tTaps: T × [B,H_n,W_n,C_n] or their summaries (teacherTap.ts; cut from the tape here),
   * sTaps: S × [B,h_m,w_m,c_m].
   * training: BN uses batch statistics and updates its moving averages; else the averages.
   * Returns z, α, D, all [B,T,S].
   */
  forward(tTaps: TeacherTap[], sTaps: tf.Tensor4D[], training: boolean): AttentionOutput {
    this.checkTaps('teacher', tTaps.map(teacherTapShape), this.teacherShapes);
    this.checkTaps('student', sTaps.map((x) => [x.shape[1], x.shape[2], x.shape[3]]), this.studentShapes);
    return tf.tidy(() => {
      const B = sTaps[0].shape[0];
      const { T, S, d } = this;
      // WebGPU: the teacher values of D and the taps' pools in 1 kernel (backend/fusedAfdDistance.ts);
      // summaries (a teacher in another worker) arrive pooled and take the composed path.
      const maps = tTaps.some(isSummary) ? null : tTaps as tf.Tensor4D[];
      const geometry = maps && fusedAfdDistanceAvailable(B, T, S) ? this.geometry() : null;
      const teacher = geometry ? fusedAfdTeacher(maps!, geometry, NORM_EPS) : null;
      const queries = this.query.map((q, n) => (teacher?.pooled
        ? q.applyAt(teacher.pooled, geometry!.poolOffsets[n], training)
        : q.apply(withoutGradient(() => tapPooled(tTaps[n])), training, false, false)));
      const Q = tf.stack(queries, 1); // [B,T,d]
      const K = tf.stack(sTaps.map((x, m) => this.key[m].apply(globalAveragePool(x), training, true)), 1); // [B,S,d]
      const Kb = this.bilinear.apply(tf.reshape(K, [B * S, d]), training); // [B·S, T·d]
      const pi = tf.matMul(this.Pt, this.Ps, false, true); // [T,S]
      const dist = teacher ? fusedAfdDistance(teacher.values, sTaps, geometry!, NORM_EPS) : this.distance(tTaps, sTaps);
      // WebGPU: z and α in two kernels, α's gradient in one (backend/fusedAttention.ts), the same maths.
      if (fusedAttentionAvailable()) return { ...fusedAttention(Q as tf.Tensor3D, Kb, pi as tf.Tensor2D), dist };
      const Kt = tf.transpose(tf.reshape(Kb, [B, S, T, d]), [0, 2, 1, 3]); // [B,T,S,d]
      const score = tf.sum(tf.mul(Kt, tf.expandDims(Q, 2)), -1); // [B,T,S]
      const z = tf.div(tf.add(score, pi), Math.sqrt(d)) as tf.Tensor3D;
      const alpha = tf.softmax(z) as tf.Tensor3D;
      return { z, alpha, dist };
    });
  }

  /** The fused D's tap layout, built on first use (WebGPU). */
  private geometry(): AfdDistanceGeometry {
    this.distGeometry ??= afdDistanceGeometry(afdDistanceLayout(this.teacherShapes, this.studentShapes, resizeMatrix));
    return this.distGeometry;
  }

  /**
   * D [B,T,S] by the composed ops (afdValues.ts) where the fused D is not available (WebGPU: 3
   * kernels forward and 3 backward, backend/fusedAfdDistance.ts); the teacher taps are cut from the tape.
   */
  private distance(tTaps: TeacherTap[], sTaps: tf.Tensor4D[]): tf.Tensor3D {
    // WebGPU without room for the fused D: each teacher tap's normalised energy map in one kernel (backend/fusedLosses.ts).
    const fused = fusedLossesAvailable();
    const values = tTaps.map((x) => {
      const [height, width] = teacherTapShape(x);
      const v = isSummary(x) ? () => normalizedEnergy(tapEnergy(x)) : fused ? () => fusedNormalizedEnergy(x, NORM_EPS) : () => teacherValues(x).values;
      return { values: withoutGradient(v), height, width };
    });
    return afdDistanceTo(values, sTaps, this.resize);
  }

  /** Every variable (trainable, then BN statistics) as plain arrays, in `weightNames` order. */
  getWeights(): Float32Array[] {
    return this.all.map((v) => Float32Array.from(v.dataSync()));
  }

  /** `getWeights` read asynchronously (what the trainer uses: no synchronous GPU read). */
  async readWeights(): Promise<Float32Array[]> {
    return Promise.all(this.all.map(async (v) => Float32Array.from(await v.data())));
  }

  /** Restores arrays from `getWeights` (same T, S, d and tap channels). */
  setWeights(weights: Float32Array[]): void {
    if (weights.length !== this.all.length) {
      throw new Error(`FeatureAttention.setWeights: got ${weights.length} arrays, expected ${this.all.length} (${this.weightNames.join(', ')})`);
    }
    weights.forEach((w, i) => {
      const v = this.all[i];
      if (w.length !== v.size) throw new Error(`FeatureAttention.setWeights: ${this.weightNames[i]} has ${w.length} values, expected ${v.size} (shape ${v.shape})`);
    });
    tf.tidy(() => weights.forEach((w, i) => this.all[i].assign(tf.tensor(w, this.all[i].shape))));
  }

  dispose(): void {
    tf.dispose(this.all);
    tf.dispose([...this.resize.values()]);
    if (this.distGeometry) tf.dispose([this.distGeometry.meta, this.distGeometry.weights]);
    this.distGeometry = null;
    this.resize.clear();
  }

  private checkTaps(who: string, taps: TapShape[], shapes: TapShape[]): void {
    if (taps.length !== shapes.length) throw new Error(`FeatureAttention: got ${taps.length} ${who} taps, built for ${shapes.length}`);
    taps.forEach(([h, w, c], i) => {
      const [eh, ew, ec] = shapes[i];
      if (h !== eh || w !== ew || c !== ec) throw new Error(`FeatureAttention: ${who} tap ${i} is ${h}×${w}×${c}, built for ${eh}×${ew}×${ec}`);
    });
  }
}
