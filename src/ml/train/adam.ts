/**
 * The optimiser of a session: Adam (β1 0.9, β2 0.999, ε = the backend's epsilon, as
 * tf.train.adam). On the wasm backend each variable's update runs as one fused kernel
 * (backend/wasmAdam.ts) instead of the stock optimiser's 13; elsewhere tf.train.adam is used.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL } from '../backend/wasmAdam';

export interface Optimiser {
  /** Read on every applyGradients, so a schedule can change it between steps. */
  learningRate: number;
  applyGradients(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

const BETA1 = 0.9;
const BETA2 = 0.999;

export class FusedAdam implements Optimiser {
  private readonly moments = new Map<string, [tf.Variable, tf.Variable]>();
  private readonly epsilon = tf.backend().epsilon();
  private t = 0;

  constructor(public learningRate: number) {}

  applyGradients(grads: tf.NamedTensorMap): void {
    this.t += 1;
    const attrs = {
      lr: this.learningRate, beta1: BETA1, beta2: BETA2, epsilon: this.epsilon,
      c1: 1 - BETA1 ** this.t, c2: 1 - BETA2 ** this.t,
    };
    for (const [name, g] of Object.entries(grads)) {
      const x = tf.engine().registeredVariables[name];
      if (x == null) throw new Error(`FusedAdam: no variable named ${name}`);
      let mv = this.moments.get(name);
      if (!mv) {
        mv = tf.tidy(() => [tf.variable(tf.zerosLike(x), false), tf.variable(tf.zerosLike(x), false)] as [tf.Variable, tf.Variable]);
        this.moments.set(name, mv);
      }
      const [m, v] = mv;
      tf.tidy(() => {
        const [x2, m2, v2] = tf.engine().runKernel(ADAM_KERNEL, { x, g, m, v }, attrs) as tf.Tensor[];
        x.assign(x2);
        m.assign(m2);
        v.assign(v2);
      });
    }
  }

  dispose(): void {
    for (const [m, v] of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}

/** Adam for the current backend: fused on wasm (when its kernel is registered), else tf.train.adam. */
export function makeAdam(learningRate: number): Optimiser {
  if (tf.getBackend() === 'wasm' && tf.getKernel(ADAM_KERNEL, 'wasm') != null) return new FusedAdam(learningRate);
  return tf.train.adam(learningRate) as unknown as Optimiser;
}
