/**
 * Training-mode batch normalisation (+ ReLU) of NHWC activations as one op with its own gradient,
 * on backends that register its kernels (webgpuBatchNorm.ts on WebGPU, wasmBatchNorm.ts on wasm).
 *
 * For x [N,H,W,C], per channel over the rows = N·H·W values (the same maths as tfjs-layers'
 * BatchNormalization in training followed by a ReLU layer):
 *   μ = Σx / rows,  σ² = Σ(x − μ)² / rows,  s = γ/√(σ² + ε)
 *   y = relu((x − μ)·s + β)                                        (no relu: without the max)
 *   moving averages, style 'keras' (tfjs-layers): m ← m − (m − μ)·(1 − momentum),
 *     v ← v − (v − σ²)·(1 − momentum); style 'torch' (PyTorch, losses/batchNorm.ts):
 *     m ← m·(1 − momentum) + μ·momentum,  v ← v·(1 − momentum) + σ²·momentum·rows/(rows − 1)
 * Gradient, with dz = dy·[y > 0] (dz = dy without relu):
 *   dβ = Σ dz,  dγ = Σ dz·(x − μ) / √(σ² + ε)
 *   dx = s·(dz − dβ/rows − (x − μ)·dγ/(√(σ² + ε)·rows))
 * which is what autodiff through tf.moments and FusedBatchNorm gives (the path through μ inside
 * σ² contributes Σ(x − μ) = 0). Rank 4 runs as 2 + 2 kernels (webgpuBatchNorm.ts), rank 2 (dense
 * features) as 1 + 1 (webgpuBatchNorm2d.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { customOp } from './customOp';

export const BN_KERNELS = {
  /** x, movingMean, movingVariance; attrs momentum, style → stats [2,C] (μ, σ²), new moving mean, new moving variance */
  stats: 'RtkBatchNormStats',
  /** x, stats, gamma, beta; attrs epsilon, relu → y */
  apply: 'RtkBatchNormApply',
  /** dy, y, x, stats, gamma; attrs epsilon, relu → dγ, dβ, coef [4,C] */
  gradStats: 'RtkBatchNormGradStats',
  /** dy, y, x, coef; attrs relu → dx */
  gradInput: 'RtkBatchNormGradInput',
  /** x [rows,C], movingMean, movingVariance, gamma, beta; attrs epsilon, relu, momentum, style → y, new moving mean, new moving variance */
  train2d: 'RtkBatchNormTrain2d',
  /** dy, y, x, gamma; attrs epsilon, relu → dx, dγ, dβ */
  grad2d: 'RtkBatchNormGrad2d',
} as const;

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

/**
 * rows × cols (and n = rows·cols) of an activation whose last axis is the channel axis, as every
 * backend's BN kernel reads it; checks dtype and that each per-channel input holds k·cols values.
 */
export function bnGeometry(name: string, x: TensorInfo, ...perChannel: [string, TensorInfo, number][]): { rows: number; cols: number; n: number } {
  const cols = x.shape[x.shape.length - 1];
  const n = size(x);
  if (x.dtype !== 'float32' || x.shape.length < 2 || cols === 0 || n === 0) {
    throw new Error(`${name}: x must be a non-empty float32 tensor of rank ≥ 2, got ${x.dtype} [${x.shape}]`);
  }
  for (const [what, t, k] of perChannel) {
    if (t.dtype !== 'float32' || size(t) !== k * cols) throw new Error(`${name}: ${what} must hold ${k}·${cols} float32 values, got ${t.dtype} [${t.shape}]`);
  }
  return { rows: n / cols, cols, n };
}

/** Throws unless each tensor holds n values (dy and y beside x in the gradient kernels). */
export function bnSameSize(name: string, n: number, ...ts: [string, TensorInfo][]): void {
  for (const [what, t] of ts) if (size(t) !== n) throw new Error(`${name}: ${what} has ${size(t)} values, x has ${n}`);
}

/** Linear (no bias) + training-mode BN (+ ReLU) of [rows, C]: y = relu(BN(x·W)) (webgpuBatchNorm2d.ts). */
export const LINEAR_BN_KERNELS = {
  /** x [rows, inDim], W [inDim, C], movingMean, movingVariance, gamma, beta; attrs as train2d → y, new moving mean, new moving variance */
  train: 'RtkLinearBnTrain',
  /** dy, y, x, W, gamma; attrs epsilon, relu → dh (the gradient in h = x·W), dW, dγ, dβ */
  grad: 'RtkLinearBnGrad',
} as const;

/** Storage buffers the Linear + BN kernels bind (WebGPU's default limit is 8). */
export const LINEAR_BN_BINDINGS = 9;

/** Whether the active backend has the fused kernels (true on webgpu once they are registered). */
export function fusedBatchNormAvailable(): boolean {
  const b = tf.getBackend();
  return Object.values(BN_KERNELS).every((k) => tf.getKernel(k, b) != null);
}

export interface FusedBatchNormOptions {
  epsilon: number;
  momentum: number;
  /** How the moving averages are updated (see top); 'keras' when omitted. */
  style?: 'keras' | 'torch';
  relu: boolean;
  /** Read for the moving averages and given their new values (tfjs-layers LayerVariables fit). */
  movingMean: { read(): tf.Tensor; write(v: tf.Tensor): unknown };
  movingVariance: { read(): tf.Tensor; write(v: tf.Tensor): unknown };
}

/**
 * relu(BN(x)) in training mode (formula above), x [N,H,W,C] (any rank ≥ 2, channels last),
 * gamma and beta [C]; writes the new moving statistics. Differentiable in x, gamma and beta.
 * Needs `fusedBatchNormAvailable()`.
 */
export function fusedBatchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, o: FusedBatchNormOptions): tf.Tensor {
  const attrs = { epsilon: o.epsilon, relu: o.relu };
  if (x.rank === 2) return fused2d(x, gamma, beta, o);
  const run = customOp((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [stats, mm, mv] = tf.engine().runKernel(BN_KERNELS.stats,
      { x: xi, movingMean: o.movingMean.read(), movingVariance: o.movingVariance.read() },
      { momentum: o.momentum, style: o.style ?? 'keras' }) as tf.Tensor[];
    o.movingMean.write(mm);
    o.movingVariance.write(mv);
    const y = tf.engine().runKernel(BN_KERNELS.apply, { x: xi, stats, gamma: g, beta: b }, attrs) as tf.Tensor;
    save([xi, y, stats, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ys, st, gs] = saved;
        const [dgamma, dbeta, coef] = tf.engine().runKernel(BN_KERNELS.gradStats, { dy, y: ys, x: xs, stats: st, gamma: gs }, attrs) as tf.Tensor[];
        const dx = tf.engine().runKernel(BN_KERNELS.gradInput, { dy, y: ys, x: xs, coef }, attrs) as tf.Tensor;
        coef.dispose();
        return [dx, dgamma, dbeta];
      },
    };
  });
  return run(x, gamma, beta);
}

/** A [rows, C] input: one kernel forward, one backward (webgpuBatchNorm2d.ts). */
function fused2d(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, o: FusedBatchNormOptions): tf.Tensor {
  const attrs = { epsilon: o.epsilon, relu: o.relu };
  const run = customOp((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mm, mv] = tf.engine().runKernel(BN_KERNELS.train2d,
      { x: xi, movingMean: o.movingMean.read(), movingVariance: o.movingVariance.read(), gamma: g, beta: b },
      { ...attrs, momentum: o.momentum, style: o.style ?? 'keras' }) as tf.Tensor[];
    o.movingMean.write(mm);
    o.movingVariance.write(mv);
    save([xi, y, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, [xs, ys, gs]: tf.Tensor[]) =>
        tf.engine().runKernel(BN_KERNELS.grad2d, { dy, y: ys, x: xs, gamma: gs }, attrs) as tf.Tensor[],
    };
  });
  return run(x, gamma, beta);
}

/** Whether the active backend runs Linear + BN as one op (registered, and room for its bindings). */
export function fusedLinearBnAvailable(): boolean {
  const b = tf.getBackend();
  if (!Object.values(LINEAR_BN_KERNELS).every((k) => tf.getKernel(k, b) != null)) return false;
  const limits = (tf.backend() as { device?: { limits?: { maxStorageBuffersPerShaderStage?: number } } }).device?.limits;
  return LINEAR_BN_BINDINGS <= (limits?.maxStorageBuffersPerShaderStage ?? 8);
}

/**
 * relu(BN(x·W)) in training mode, x [rows, inDim], W [inDim, C] (BN as at the top, over the
 * rows), one kernel forward and one backward (dW, dγ, dβ and dh = ∂/∂(x·W)); dx = dh·Wᵀ is one
 * matMul more, and only with `inputGradient` (otherwise x is not differentiated: it is off the
 * tape). `xOffset`: the input is columns xOffset … xOffset + inDim − 1 of x (a packed matrix
 * off the tape). Writes the new moving statistics. Needs `fusedLinearBnAvailable()`.
 */
export function fusedLinearBnTrain(x: tf.Tensor2D, W: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor,
  o: FusedBatchNormOptions & { inputGradient: boolean; xOffset?: number }): tf.Tensor2D {
  const attrs = { epsilon: o.epsilon, relu: o.relu, xOffset: o.xOffset ?? 0 };
  if (o.inputGradient && attrs.xOffset !== 0) throw new Error('fusedLinearBnTrain: an input read at a column offset has no gradient (inputGradient must be false)');
  const forward = (wi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, mm, mv] = tf.engine().runKernel(LINEAR_BN_KERNELS.train,
      { x, W: wi, movingMean: o.movingMean.read(), movingVariance: o.movingVariance.read(), gamma: g, beta: b },
      { ...attrs, momentum: o.momentum, style: o.style ?? 'keras' }) as tf.Tensor[];
    o.movingMean.write(mm);
    o.movingVariance.write(mv);
    save([x, wi, y, g]);
    return y;
  };
  /** [dx?, dW, dγ, dβ]. */
  const backward = (dy: tf.Tensor, [xs, ws, ys, gs]: tf.Tensor[]) => {
    const [dh, dW, dg, db] = tf.engine().runKernel(LINEAR_BN_KERNELS.grad, { dy, y: ys, x: xs, W: ws, gamma: gs }, attrs) as tf.Tensor[];
    if (!o.inputGradient) { dh.dispose(); return [dW, dg, db]; }
    const dx = tf.matMul(dh, ws, false, true);
    dh.dispose();
    return [dx, dW, dg, db];
  };
  if (!o.inputGradient) {
    const run = customOp((wi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => ({ value: forward(wi, g, b, save), gradFunc: backward }));
    return run(W, gamma, beta) as tf.Tensor2D;
  }
  // x is an input here so that its gradient flows; `forward` reads the same tensor.
  const run = customOp((_x: tf.Tensor, wi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => ({ value: forward(wi, g, b, save), gradFunc: backward }));
  return run(x, W, gamma, beta) as tf.Tensor2D;
}
