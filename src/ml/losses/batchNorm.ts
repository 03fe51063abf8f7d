/**
 * Linear (no bias) + batch normalisation over a [N,dim] batch, with own tf.Variables.
 *
 *   y = γ·(xW − μ)/sqrt(σ² + ε) + β,   ε = 1e-5
 *
 * Training: μ, σ² are the batch mean and biased variance over the N rows, and the moving
 * averages are updated as m ← (1−0.1)·m + 0.1·μ, v ← (1−0.1)·v + 0.1·σ²·N/(N−1) (PyTorch's
 * BatchNorm1d convention). The update reads the batch statistics through `stopGradient` and
 * only writes non-trainable variables, so it is never on the gradient path.
 * Eval: μ, σ² are the moving averages.
 * The Linear has no bias: BN's β is the bias (a bias before BN has zero gradient in training).
 *
 * In training the normalisation is one custom-gradient op with the closed-form BN backward
 *   dx = (1/σ)·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)),  dx̂ = dy·γ,  dγ = Σ dy·x̂,  dβ = Σ dy
 * (σ = √(σ² + ε), means over the N rows): about a third of the kernels autodiff of the
 * composed ops needs, which matters on wasm where each small kernel costs its overhead.
 * On WebGPU the same maths runs as the fused kernels of backend/fusedBatchNorm.ts (style 'torch'):
 * the Linear and the BN as one kernel forward and one backward where the device has room.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormAvailable, fusedBatchNormTrain, fusedLinearBnAvailable, fusedLinearBnTrain, type FusedBatchNormOptions } from '../backend/fusedBatchNorm';
import { stopGradient } from './stopGradient';

export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

export class LinearBn {
  readonly W: tf.Variable;
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVar: tf.Variable;

  /** W [inDim,outDim] ~ U(−1/√inDim, 1/√inDim) from `seed` (PyTorch's Linear default); γ = 1, β = 0. */
  constructor(name: string, readonly inDim: number, readonly outDim: number, seed: number) {
    const bound = 1 / Math.sqrt(inDim);
    this.W = tf.tidy(() => tf.variable(tf.randomUniform([inDim, outDim], -bound, bound, 'float32', seed), true, `${name}/W`));
    this.gamma = tf.tidy(() => tf.variable(tf.ones([outDim]), true, `${name}/gamma`));
    this.beta = tf.tidy(() => tf.variable(tf.zeros([outDim]), true, `${name}/beta`));
    this.movingMean = tf.tidy(() => tf.variable(tf.zeros([outDim]), false, `${name}/movingMean`));
    this.movingVar = tf.tidy(() => tf.variable(tf.ones([outDim]), false, `${name}/movingVar`));
  }

  get trainable(): tf.Variable[] {
    return [this.W, this.gamma, this.beta];
  }

  get stats(): tf.Variable[] {
    return [this.movingMean, this.movingVar];
  }

  /**
   * x: [N,inDim] → [N,outDim]; relu: max(·, 0) of the result. inputGradient false: x is off the
   * tape (the teacher's pooled taps), so the fused WebGPU route skips its gradient.
   */
  apply(x: tf.Tensor2D, training: boolean, relu = false, inputGradient = true): tf.Tensor2D {
    return tf.tidy(() => {
      if (training && fusedLinearBnAvailable()) {
        // WebGPU: the Linear, statistics, normalisation, ReLU and moving averages in 1 kernel; dW, dγ, dβ in 1 (+ dx: 1 matMul).
        return fusedLinearBnTrain(x, this.W, this.gamma, this.beta, { ...this.fusedOptions(relu), inputGradient });
      }
      const h = tf.matMul(x, this.W) as tf.Tensor2D;
      if (training && fusedBatchNormAvailable()) {
        // WebGPU: statistics, normalisation, ReLU, moving averages and the backward pass as 4 kernels.
        return fusedBatchNormTrain(h, this.gamma, this.beta, this.fusedOptions(relu)) as tf.Tensor2D;
      }
      let y: tf.Tensor2D;
      if (training) {
        y = this.normaliseBatch(h, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D);
      } else {
        const xHat = tf.div(tf.sub(h, this.movingMean), tf.sqrt(tf.add(this.movingVar, BN_EPS)));
        y = tf.add(tf.mul(xHat, this.gamma), this.beta) as tf.Tensor2D;
      }
      return relu ? tf.relu(y) : y;
    });
  }

  /**
   * `apply` (no ReLU) to columns offset … offset + inDim − 1 of x [N, ≥ offset + inDim], which
   * is off the tape (the teacher taps' packed pools): on WebGPU the kernel reads them in place.
   */
  applyAt(x: tf.Tensor2D, offset: number, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      if (training && fusedLinearBnAvailable()) {
        return fusedLinearBnTrain(x, this.W, this.gamma, this.beta, { ...this.fusedOptions(false), inputGradient: false, xOffset: offset });
      }
      return this.apply(tf.slice(x, [0, offset], [-1, this.inDim]), training, false, false);
    });
  }

  private fusedOptions(relu: boolean): FusedBatchNormOptions {
    return {
      epsilon: BN_EPS, momentum: BN_MOMENTUM, style: 'torch', relu,
      movingMean: { read: () => this.movingMean, write: (v) => this.movingMean.assign(v) },
      movingVariance: { read: () => this.movingVar, write: (v) => this.movingVar.assign(v) },
    };
  }

  /** Training-mode BN of h [N,outDim] with batch statistics (updating the moving averages). */
  private normaliseBatch(h: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D): tf.Tensor2D {
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [x, g, b] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
      const save = args[3] as tf.GradSaveFunc;
      const mean = tf.mean(x, 0, true);
      const centred = tf.sub(x, mean);
      const variance = tf.mean(tf.square(centred), 0, true);
      const inv = tf.rsqrt(tf.add(variance, BN_EPS));
      const xHat = tf.mul(centred, inv);
      this.updateStats(mean, variance, x.shape[0]);
      save([xHat, inv, g]);
      return {
        value: tf.add(tf.mul(xHat, g), b),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sxHat, sInv, sGamma] = saved;
          const dxHat = tf.mul(dy, sGamma);
          const meanDxHat = tf.mean(dxHat, 0, true);
          const meanDxHatXHat = tf.mean(tf.mul(dxHat, sxHat), 0, true);
          const dx = tf.mul(sInv, tf.sub(tf.sub(dxHat, meanDxHat), tf.mul(sxHat, meanDxHatXHat)));
          return [dx, tf.sum(tf.mul(dy, sxHat), 0), tf.sum(dy, 0)];
        },
      };
    });
    return op(h, gamma, beta) as tf.Tensor2D;
  }

  private updateStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    tf.tidy(() => {
      const unbias = n > 1 ? n / (n - 1) : 1;
      this.movingMean.assign(tf.reshape(tf.add(tf.mul(this.movingMean, 1 - BN_MOMENTUM), tf.mul(stopGradient(mean), BN_MOMENTUM)), [this.outDim]));
      this.movingVar.assign(tf.reshape(tf.add(tf.mul(this.movingVar, 1 - BN_MOMENTUM), tf.mul(stopGradient(variance), BN_MOMENTUM * unbias)), [this.outDim]));
    });
  }

  dispose(): void {
    tf.dispose([this.W, this.gamma, this.beta, this.movingMean, this.movingVar]);
  }
}
