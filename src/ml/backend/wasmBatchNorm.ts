/**
 * The kernels of fusedBatchNorm.ts (training-mode BN + ReLU as one op with its own gradient) for
 * the wasm backend: typed-array loops on the wasm heap, per-channel sums in float64.
 *
 * Why: through tfjs-layers a training BN keeps about five full-size tensors per layer alive until
 * the backward pass ends (the conv output, x − μ, its square, the BN output and the ReLU output),
 * because every intermediate of `tf.variableGrads` lives until its scope closes. The fused op
 * keeps two (x and y) and its gradient makes one. Measured in Node on the photo student at 224 px
 * (cnn-s1 w24, batch 8, student alone): the wasm heap after a step 269 → 106 MB, the step's peak
 * of live tensors 302 → 99 MB; the step takes about as long (181–186 → 189–204 ms; at 32 px,
 * batch 64, within a few per cent either way for cnn-s1, resnet-s1 and mobile-s1).
 *
 * Loops are branch-free where a branch would depend on the data (ReLU and its mask): activations
 * are positive about half the time, and a mispredicted branch per value made a pass 3–7× slower.
 *
 * μ and σ² come from one pass over x with a per-channel shift K (the first row): with d = x − K,
 * μ = K + Σd/rows and σ² = Σd²/rows − (Σd/rows)², summed in float64, so the cancellation of the
 * one-pass formula costs nothing at float32 precision. The rest is fusedBatchNorm.ts's maths.
 */
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { BN_KERNELS, bnGeometry as geometry, bnSameSize as sameSize } from './fusedBatchNorm';
import type { WasmBackendLike } from './wasmKernelUtil';

interface Args { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }

/** Per-channel μ and biased σ² of x [rows, cols] into mean and variance. */
function moments(x: Float32Array, rows: number, cols: number, mean: Float64Array, variance: Float64Array): void {
  const s1 = new Float64Array(cols);
  const s2 = new Float64Array(cols);
  const k = x.subarray(0, cols);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const d = x[i] - k[c];
      s1[c] += d;
      s2[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const m = s1[c] / rows;
    mean[c] = k[c] + m;
    variance[c] = Math.max(0, s2[c] / rows - m * m);
  }
}

/** The moving averages (fusedBatchNorm.ts's two styles). */
function movingAverages(attrs: NamedAttrMap, rows: number, mean: Float64Array, variance: Float64Array,
  mm: Float32Array, mv: Float32Array, mmOut: Float32Array, mvOut: Float32Array): void {
  const momentum = attrs.momentum as number;
  const torch = attrs.style === 'torch';
  const unbias = rows > 1 ? rows / (rows - 1) : 1;
  for (let c = 0; c < mean.length; c++) {
    if (torch) {
      mmOut[c] = mm[c] * (1 - momentum) + mean[c] * momentum;
      mvOut[c] = mv[c] * (1 - momentum) + variance[c] * momentum * unbias;
    } else {
      mmOut[c] = mm[c] - (mm[c] - mean[c]) * (1 - momentum);
      mvOut[c] = mv[c] - (mv[c] - variance[c]) * (1 - momentum);
    }
  }
}

/** y = (x − μ)·γ/√(σ² + ε) + β, then max(y, 0) with relu. */
function normalise(x: Float32Array, y: Float32Array, cols: number, mean: ArrayLike<number>, variance: ArrayLike<number>,
  gamma: Float32Array, beta: Float32Array, eps: number, relu: boolean): void {
  const a = new Float32Array(cols);
  const b = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    a[c] = gamma[c] / Math.sqrt(variance[c] + eps);
    b[c] = beta[c] - mean[c] * a[c];
  }
  const n = x.length;
  if (relu) {
    // max(v, 0) without a branch: activations are positive about half the time, and a
    // mispredicted branch per value made this pass 7× slower (measured).
    for (let i = 0; i < n;) for (let c = 0; c < cols; c++, i++) { const v = x[i] * a[c] + b[c]; y[i] = (v + Math.abs(v)) * 0.5; }
  } else {
    for (let i = 0; i < n;) for (let c = 0; c < cols; c++, i++) y[i] = x[i] * a[c] + b[c];
  }
}

/** Σ dz and Σ dz·(x − μ) per channel, dz = dy·[y > 0] with relu (else dy); Σ dz·x − μ·Σ dz in float64. */
function gradSums(dy: Float32Array, y: Float32Array, x: Float32Array, cols: number, mean: ArrayLike<number>, relu: boolean): [Float64Array, Float64Array] {
  const s1 = new Float64Array(cols);
  const sx = new Float64Array(cols);
  const n = x.length;
  for (let i = 0; i < n;) {
    for (let c = 0; c < cols; c++, i++) {
      const g = relu ? dy[i] * +(y[i] > 0) : dy[i]; // the mask as a number: no branch per value
      s1[c] += g;
      sx[c] += g * x[i];
    }
  }
  for (let c = 0; c < cols; c++) sx[c] -= mean[c] * s1[c];
  return [s1, sx];
}

/** coef [4, C] = (γ/√(σ²+ε), μ, dβ/rows, dγ/(√(σ²+ε)·rows)), dγ, dβ from the sums. */
function gradCoefficients(s1: Float64Array, s2: Float64Array, mean: ArrayLike<number>, variance: ArrayLike<number>,
  gamma: Float32Array, eps: number, rows: number, dgamma: Float32Array, dbeta: Float32Array, coef: Float32Array): void {
  const cols = s1.length;
  for (let c = 0; c < cols; c++) {
    const inv = 1 / Math.sqrt(variance[c] + eps);
    const dg = s2[c] * inv;
    dbeta[c] = s1[c];
    dgamma[c] = dg;
    coef[c] = gamma[c] * inv;
    coef[cols + c] = mean[c];
    coef[2 * cols + c] = s1[c] / rows;
    coef[3 * cols + c] = (dg * inv) / rows;
  }
}

/** dx = coef₀·(dz − coef₂ − (x − coef₁)·coef₃) = a·dz + p·x + q per channel. */
function inputGradient(dy: Float32Array, y: Float32Array, x: Float32Array, coef: Float32Array, cols: number, relu: boolean, dx: Float32Array): void {
  const a = coef.subarray(0, cols);
  const p = new Float32Array(cols);
  const q = new Float32Array(cols);
  for (let c = 0; c < cols; c++) {
    p[c] = -a[c] * coef[3 * cols + c];
    q[c] = a[c] * (coef[cols + c] * coef[3 * cols + c] - coef[2 * cols + c]);
  }
  const n = x.length;
  if (relu) {
    for (let i = 0; i < n;) for (let c = 0; c < cols; c++, i++) dx[i] = a[c] * dy[i] * +(y[i] > 0) + p[c] * x[i] + q[c];
  } else {
    for (let i = 0; i < n;) for (let c = 0; c < cols; c++, i++) dx[i] = a[c] * dy[i] + p[c] * x[i] + q[c];
  }
}

const heap = (backend: unknown) => backend as WasmBackendLike;

function stats({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { x, movingMean, movingVariance } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.stats, x, ['movingMean', movingMean, 1], ['movingVariance', movingVariance, 1]);
  const be = heap(backend);
  const outs = [be.makeOutput([2, cols], 'float32'), be.makeOutput([cols], 'float32'), be.makeOutput([cols], 'float32')];
  // Views after every allocation: a growing heap detaches earlier ones.
  const [X, MM, MV, S, MMo, MVo] = [x, movingMean, movingVariance, ...outs].map((t) => be.typedArrayFromHeap(t));
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  moments(X, rows, cols, mean, variance);
  S.set(mean, 0);
  S.set(variance, cols);
  movingAverages(attrs!, rows, mean, variance, MM, MV, MMo, MVo);
  return outs;
}

function apply({ inputs, backend, attrs }: Args): TensorInfo {
  const { x, stats: st, gamma, beta } = inputs;
  const { cols } = geometry(BN_KERNELS.apply, x, ['stats', st, 2], ['gamma', gamma, 1], ['beta', beta, 1]);
  const be = heap(backend);
  const out = be.makeOutput(x.shape.slice(), 'float32');
  const [X, S, G, B, Y] = [x, st, gamma, beta, out].map((t) => be.typedArrayFromHeap(t));
  normalise(X, Y, cols, S.subarray(0, cols), S.subarray(cols), G, B, attrs!.epsilon as number, attrs!.relu === true);
  return out;
}

function gradStats({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { dy, y, x, stats: st, gamma } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.gradStats, x, ['stats', st, 2], ['gamma', gamma, 1]);
  sameSize(BN_KERNELS.gradStats, rows * cols, ['dy', dy], ['y', y]);
  const be = heap(backend);
  const outs = [be.makeOutput([cols], 'float32'), be.makeOutput([cols], 'float32'), be.makeOutput([4, cols], 'float32')];
  const [DY, Y, X, S, G, DG, DB, CO] = [dy, y, x, st, gamma, ...outs].map((t) => be.typedArrayFromHeap(t));
  const mean = S.subarray(0, cols);
  const [s1, s2] = gradSums(DY, Y, X, cols, mean, attrs!.relu === true);
  gradCoefficients(s1, s2, mean, S.subarray(cols), G, attrs!.epsilon as number, rows, DG, DB, CO);
  return outs;
}

function gradInput({ inputs, backend, attrs }: Args): TensorInfo {
  const { dy, y, x, coef } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.gradInput, x, ['coef', coef, 4]);
  sameSize(BN_KERNELS.gradInput, rows * cols, ['dy', dy], ['y', y]);
  const be = heap(backend);
  const out = be.makeOutput(x.shape.slice(), 'float32');
  const [DY, Y, X, CO, DX] = [dy, y, x, coef, out].map((t) => be.typedArrayFromHeap(t));
  inputGradient(DY, Y, X, CO, cols, attrs!.relu === true, DX);
  return out;
}

/** [rows, C] in one kernel: stats, moving averages and y. */
function train2d({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { x, movingMean, movingVariance, gamma, beta } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.train2d, x, ['movingMean', movingMean, 1], ['movingVariance', movingVariance, 1], ['gamma', gamma, 1], ['beta', beta, 1]);
  const be = heap(backend);
  const outs = [be.makeOutput(x.shape.slice(), 'float32'), be.makeOutput([cols], 'float32'), be.makeOutput([cols], 'float32')];
  const [X, MM, MV, G, B, Y, MMo, MVo] = [x, movingMean, movingVariance, gamma, beta, ...outs].map((t) => be.typedArrayFromHeap(t));
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  moments(X, rows, cols, mean, variance);
  movingAverages(attrs!, rows, mean, variance, MM, MV, MMo, MVo);
  normalise(X, Y, cols, mean, variance, G, B, attrs!.epsilon as number, attrs!.relu === true);
  return outs;
}

/** [rows, C] backward in one kernel (μ and σ² recomputed from x): dx, dγ, dβ. */
function grad2d({ inputs, backend, attrs }: Args): TensorInfo[] {
  const { dy, y, x, gamma } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.grad2d, x, ['gamma', gamma, 1]);
  sameSize(BN_KERNELS.grad2d, rows * cols, ['dy', dy], ['y', y]);
  const be = heap(backend);
  const outs = [be.makeOutput(x.shape.slice(), 'float32'), be.makeOutput([cols], 'float32'), be.makeOutput([cols], 'float32')];
  const [DY, Y, X, G, DX, DG, DB] = [dy, y, x, gamma, ...outs].map((t) => be.typedArrayFromHeap(t));
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  moments(X, rows, cols, mean, variance);
  const relu = attrs!.relu === true;
  const [s1, s2] = gradSums(DY, Y, X, cols, mean, relu);
  const coef = new Float32Array(4 * cols);
  gradCoefficients(s1, s2, mean, variance, G, attrs!.epsilon as number, rows, DG, DB, coef);
  inputGradient(DY, Y, X, coef, cols, relu, DX);
  return outs;
}

export const WASM_BATCH_NORM_KERNELS: KernelConfig[] = ([
  [BN_KERNELS.stats, stats],
  [BN_KERNELS.apply, apply],
  [BN_KERNELS.gradStats, gradStats],
  [BN_KERNELS.gradInput, gradInput],
  [BN_KERNELS.train2d, train2d],
  [BN_KERNELS.grad2d, grad2d],
] as const).map(([kernelName, f]) => ({ kernelName, backendName: 'wasm', kernelFunc: f as never }));
