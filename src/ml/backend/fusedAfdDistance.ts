/**
 * AFD's whole distance D (losses/afdValues.ts `afdDistanceTo`, RTK.md AFD steps 5–6) as one op
 * with its own gradient, on backends that register its kernels (webgpuAfdDistance.ts: WebGPU),
 * in 3 dispatches forward and 3 backward for any number of taps, instead of an energy map, a
 * resize, an L2 normalisation and a row distance per tap, their stacks and their gradients'
 * sums (about 70 dispatches for 6 teacher and 3 student taps):
 *
 *   v_t^n[b]      = L2(e(F_t^n)[b])                      teacher values, no gradient   Vt [B, Σ_n P_n]
 *   e_m[b]        = mean_c F_s^m[b]²                      student energies              E  [B, Σ_m p_m]
 *   R_{m,r}[b]    = Rh_{m,r} · e_m[b] · Rw_{m,r}ᵀ         resized to resolution r       (energy.ts resizeMatrix)
 *   s_{m,r}[b]    = R_{m,r}[b] / ν,  ν = √(Σ_p R² + ε)                                Vs [B, S, Σ_r P_r]
 *   D[b,n,m]      = Σ_p (s_{m,r(n)}[b,p] − v_t^n[b,p])² / P_n
 * (r(n): the resolution of teacher tap n; taps of one resolution share s). Backward, from dD:
 *   dS = Σ_{n: r(n)=r} 2·dD[b,n,m]·(s − v_t^n) / P_n,   dR = (dS − s·Σ_p dS·s) / ν,
 *   dE_m = Σ_r Rh_{m,r}ᵀ · dR_{m,r} · Rw_{m,r},          dF_s^m = 2·F_s^m·dE_m / c_m.
 * The resize matrices and the tap geometry live in two constant tensors (`AfdDistanceGeometry`),
 * built once per tap layout. The teacher side (`fusedAfdTeacher`, 1 dispatch) also gives the
 * taps' global average pools, packed, for the attention's queries.
 */
import * as tf from '@tensorflow/tfjs';
import type { TapShape } from '../types';
import { customOp } from './customOp';
import { withoutGradientOfAll } from './withoutGradient';

export const AFD_DISTANCE_KERNELS = {
  /** t0…t{T−1}, meta; attrs (pooled: also the taps' global average pools) → Vt (, pooled [B, Σ_n C_n]) */
  teacher: 'RtkAfdTeacherValues',
  /** x0…x{S−1}, meta → E */
  energy: 'RtkAfdStudentEnergy',
  /** E, meta, weights, Vt → Vs, norms, D */
  dist: 'RtkAfdDistance',
  /** dD, Vs, Vt, norms, meta → dR */
  distGrad: 'RtkAfdDistanceGrad',
  /** dR, meta, weights → dE */
  resizeGrad: 'RtkAfdResizeGrad',
  /** dE, meta, x0…x{S−1} → dF0…dF{S−1} */
  energyGrad: 'RtkAfdStudentEnergyGrad',
} as const;

/** Field counts of the records in `meta` (see `afdDistanceLayout`). */
export const META = { student: 5, resolution: 4, teacher: 4, pair: 2 } as const;

/** Sizes shared by the kernels' uniforms (PC = Σ_n C_n, a row of the teacher taps' pools). */
export interface AfdDistanceSizes { S: number; T: number; R: number; PE: number; PR: number; PT: number; PC: number }

/**
 * The tap layout as plain arrays. `meta` (int32) holds, one record after the other:
 *   per student tap m   [h, w, offset in E, c, offset of its values per sample in Σ h·w·c]
 *   per resolution r    [H, W, offset in a row of Vs, 0]
 *   per teacher tap n   [offset in Vt, r(n), C, offset in a row of the pools]
 *   per pair (m, r)     [offset of Rh (H×h) in weights, offset of Rw (W×w)]
 * `weights` (float32) holds the resize matrices; `poolOffsets` the last field of each teacher record.
 */
export interface AfdDistanceLayout extends AfdDistanceSizes { meta: Int32Array; weights: Float32Array; poolOffsets: number[] }

export function afdDistanceLayout(teacherShapes: TapShape[], studentShapes: TapShape[], resizeMatrix: (from: number, to: number) => Float32Array): AfdDistanceLayout {
  const resolutions: [number, number][] = [];
  const rOf = teacherShapes.map(([H, W]) => {
    let r = resolutions.findIndex(([a, b]) => a === H && b === W);
    if (r < 0) r = resolutions.push([H, W]) - 1;
    return r;
  });
  const S = studentShapes.length;
  const T = teacherShapes.length;
  const R = resolutions.length;
  const meta: number[] = [];
  let PE = 0;
  let perSample = 0;
  for (const [h, w, c] of studentShapes) { meta.push(h, w, PE, c, perSample); PE += h * w; perSample += h * w * c; }
  let PR = 0;
  for (const [H, W] of resolutions) { meta.push(H, W, PR, 0); PR += H * W; }
  let PT = 0;
  let PC = 0;
  const poolOffsets: number[] = [];
  teacherShapes.forEach(([H, W, C], n) => { poolOffsets.push(PC); meta.push(PT, rOf[n], C, PC); PT += H * W; PC += C; });
  const weights: number[] = [];
  for (const [h, w] of studentShapes) {
    for (const [H, W] of resolutions) {
      meta.push(weights.length);
      weights.push(...resizeMatrix(h, H));
      meta.push(weights.length);
      weights.push(...resizeMatrix(w, W));
    }
  }
  return { S, T, R, PE, PR, PT, PC, poolOffsets, meta: Int32Array.from(meta), weights: Float32Array.from(weights) };
}

/** The layout's arrays as tensors (kept; the owner disposes them). */
export interface AfdDistanceGeometry extends AfdDistanceSizes { meta: tf.Tensor1D; weights: tf.Tensor1D; poolOffsets: number[] }

export function afdDistanceGeometry(layout: AfdDistanceLayout): AfdDistanceGeometry {
  const { meta, weights, ...rest } = layout;
  return { ...rest, meta: tf.keep(tf.tensor1d(meta, 'int32')), weights: tf.keep(tf.tensor1d(weights, 'float32')) };
}

const storageLimit = () => (tf.backend() as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device?.limits?.maxStorageBuffersPerShaderStage ?? 8;

/** Storage buffers the largest of the kernels binds for T teacher and S student taps. */
export const afdDistanceBindings = (T: number, S: number): number => Math.max(T + 2, 2 * S + 2, 7);

/**
 * Whether the active backend can run the fused D for B samples, T teacher and S student taps:
 * the kernels are registered and the device binds enough storage buffers per stage (T + 2 and
 * 2·S + 2; WebGPU's default is 8) and workgroups (one per (b, m, r) and per (b, n)).
 */
export function fusedAfdDistanceAvailable(B: number, T: number, S: number): boolean {
  const b = tf.getBackend();
  if (!Object.values(AFD_DISTANCE_KERNELS).every((k) => tf.getKernel(k, b) != null)) return false;
  return afdDistanceBindings(T, S) <= storageLimit() && B * Math.max(S * T, T) <= 65535;
}

const named = (prefix: string, xs: tf.Tensor[]): tf.NamedTensorMap => Object.fromEntries(xs.map((x, i) => [`${prefix}${i}`, x]));

const runAfd = (name: string, inputs: tf.NamedTensorMap, g: AfdDistanceGeometry, epsilon: number, extra: tf.NamedAttrMap = {}) => {
  const { meta: _m, weights: _w, poolOffsets: _p, ...sizes } = g;
  return tf.engine().runKernel(name, inputs, { ...sizes, epsilon, ...extra } as unknown as tf.NamedAttrMap);
};

export interface AfdTeacherSide {
  /** v_t of every teacher tap, packed [B, Σ_n P_n]. */
  values: tf.Tensor2D;
  /** The taps' global average pools packed [B, Σ_n C_n] (tap n from column `poolOffsets[n]`), where the device binds T + 3 buffers; else null. */
  pooled: tf.Tensor2D | null;
}

/** What D (and the attention's queries) need from the teacher taps T × [B,H,W,C], off the tape: 1 dispatch. */
export function fusedAfdTeacher(tTaps: tf.Tensor4D[], g: AfdDistanceGeometry, epsilon: number): AfdTeacherSide {
  const pooled = tTaps.length + 3 <= storageLimit();
  const outs = withoutGradientOfAll(() => [runAfd(AFD_DISTANCE_KERNELS.teacher, { ...named('t', tTaps), meta: g.meta }, g, epsilon, { pooled })].flat() as tf.Tensor[]);
  return { values: outs[0] as tf.Tensor2D, pooled: (outs[1] as tf.Tensor2D | undefined) ?? null };
}

/**
 * D [B,T,S] from the teacher values of `fusedAfdTeacher` and the student taps S × [B,h,w,c]
 * (differentiable), with `g` built from the same tap shapes. Formula at the top.
 */
export function fusedAfdDistance(Vt: tf.Tensor2D, sTaps: tf.Tensor4D[], g: AfdDistanceGeometry, epsilon: number): tf.Tensor3D {
  const { meta, weights } = g;
  const run = (name: string, inputs: tf.NamedTensorMap) => runAfd(name, inputs, g, epsilon);
  const S = sTaps.length;
  const op = customOp((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, S) as tf.Tensor[];
    const save = args[S] as tf.GradSaveFunc;
    const E = run(AFD_DISTANCE_KERNELS.energy, { ...named('x', xs), meta }) as tf.Tensor;
    const [Vs, norms, D] = run(AFD_DISTANCE_KERNELS.dist, { E, meta, weights, Vt }) as tf.Tensor[];
    E.dispose();
    save([...xs, Vs, norms, Vt]);
    return {
      value: D,
      gradFunc: (dD: tf.Tensor, saved: tf.Tensor[]) => {
        const [Vss, ns, Vts] = saved.slice(S);
        const dR = run(AFD_DISTANCE_KERNELS.distGrad, { dD, Vs: Vss, Vt: Vts, norms: ns, meta }) as tf.Tensor;
        const dE = run(AFD_DISTANCE_KERNELS.resizeGrad, { dR, meta, weights }) as tf.Tensor;
        const dF = run(AFD_DISTANCE_KERNELS.energyGrad, { dE, meta, ...named('x', saved.slice(0, S)) }) as tf.Tensor[];
        tf.dispose([dR, dE]);
        return dF;
      },
    };
  });
  return (op as unknown as (...x: tf.Tensor[]) => tf.Tensor)(...sTaps) as tf.Tensor3D;
}
