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
 */
import * as tf from '@tensorflow/tfjs';
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

  /** x: [N,inDim] → [N,outDim]. */
  apply(x: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.tidy(() => {
      const h = tf.matMul(x, this.W);
      let mean: tf.Tensor = this.movingMean;
      let variance: tf.Tensor = this.movingVar;
      if (training) {
        const mom = tf.moments(h, 0);
        mean = mom.mean;
        variance = mom.variance;
        this.updateStats(mean, variance, h.shape[0]);
      }
      const xHat = tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, BN_EPS)));
      return tf.add(tf.mul(xHat, this.gamma), this.beta) as tf.Tensor2D;
    });
  }

  private updateStats(mean: tf.Tensor, variance: tf.Tensor, n: number): void {
    tf.tidy(() => {
      const unbias = n > 1 ? n / (n - 1) : 1;
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, 1 - BN_MOMENTUM), tf.mul(stopGradient(mean), BN_MOMENTUM)));
      this.movingVar.assign(tf.add(tf.mul(this.movingVar, 1 - BN_MOMENTUM), tf.mul(stopGradient(variance), BN_MOMENTUM * unbias)));
    });
  }

  dispose(): void {
    tf.dispose([this.W, this.gamma, this.beta, this.movingMean, this.movingVar]);
  }
}
