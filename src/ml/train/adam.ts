/**
 * The optimiser of a session: Adam (β1 0.9, β2 0.999, ε = the backend's epsilon), the same update
 * as tf.train.adam. On the wasm and webgpu backends each variable's update runs as one fused
 * kernel (backend/wasmAdam.ts, backend/webgpuAdam.ts) instead of 13; on webgpu the variables
 * whose buffers nothing else shares are updated in place, several per dispatch (adamInPlace);
 * elsewhere it runs as plain ops.
 *
 * Unlike tf.train.adam, its state (step count and both moments) can be read and restored, so a
 * run resumed from a checkpoint continues exactly as the uninterrupted run would have.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimiserState } from '../../domain';
import { ADAM_KERNEL } from '../backend/wasmAdam';
import { adamInPlace, canUpdateInPlace } from '../backend/webgpuAdam';

export interface Optimiser {
  /** Read on every applyGradients, so a schedule can change it between steps. */
  learningRate: number;
  applyGradients(grads: tf.NamedTensorMap): void;
  /** Step count and moments, in the order of `vars` (zeros for a variable not updated yet). */
  readState(vars: tf.Variable[]): Promise<OptimiserState>;
  /** Restores what readState returned for variables of the same shapes, in the same order. */
  setState(vars: tf.Variable[], state: OptimiserState): void;
  dispose(): void;
}

const BETA1 = 0.9;
const BETA2 = 0.999;

export class Adam implements Optimiser {
  private readonly moments = new Map<string, [tf.Variable, tf.Variable]>();
  private readonly epsilon = tf.backend().epsilon();
  private t = 0;

  /** `fused`: use the fused kernel (the default where it is registered on the active backend: wasm, webgpu). */
  constructor(public learningRate: number, readonly fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) != null) {}

  applyGradients(grads: tf.NamedTensorMap): void {
    this.t += 1;
    const c1 = 1 - BETA1 ** this.t;
    const c2 = 1 - BETA2 ** this.t;
    const slots = Object.entries(grads).map(([name, g]) => {
      const x = tf.engine().registeredVariables[name];
      if (x == null) throw new Error(`Adam: no variable named ${name}`);
      const [m, v] = this.momentsOf(x);
      return { x, g, m, v };
    });
    const scalars = { lr: this.learningRate, beta1: BETA1, beta2: BETA2, epsilon: this.epsilon, c1, c2 };
    // WebGPU: every variable whose buffers are its own is updated in place, several per dispatch.
    const backend = tf.backend();
    const inPlace = this.fused && tf.getBackend() === 'webgpu' ? slots.filter((s) => canUpdateInPlace(backend, s)) : [];
    if (inPlace.length) adamInPlace(backend, inPlace, scalars);
    for (const { x, g, m, v } of slots) {
      if (inPlace.length && inPlace.some((s) => s.x === x)) continue;
      tf.tidy(() => {
        const [x2, m2, v2] = this.fused
          ? tf.engine().runKernel(ADAM_KERNEL, { x, g, m, v },
            { lr: this.learningRate, beta1: BETA1, beta2: BETA2, epsilon: this.epsilon, c1, c2 }) as tf.Tensor[]
          : this.update(x, g, m, v, c1, c2);
        x.assign(x2);
        m.assign(m2);
        v.assign(v2);
      });
    }
  }

  async readState(vars: tf.Variable[]): Promise<OptimiserState> {
    const read = (i: 0 | 1) => Promise.all(vars.map(async (x) => {
      const mv = this.moments.get(x.name);
      return mv ? Float32Array.from(await mv[i].data()) : new Float32Array(x.size);
    }));
    return { step: this.t, m: await read(0), v: await read(1) };
  }

  setState(vars: tf.Variable[], state: OptimiserState): void {
    if (state.m.length !== vars.length || state.v.length !== vars.length) {
      throw new Error(`Adam.setState: the state holds ${state.m.length} moments, the model ${vars.length} variables`);
    }
    vars.forEach((x, i) => {
      if (state.m[i].length !== x.size || state.v[i].length !== x.size) {
        throw new Error(`Adam.setState: variable ${i} (shape ${x.shape}) has ${x.size} values, the state ${state.m[i].length}`);
      }
    });
    tf.tidy(() => vars.forEach((x, i) => {
      const [m, v] = this.momentsOf(x);
      m.assign(tf.tensor(state.m[i], x.shape));
      v.assign(tf.tensor(state.v[i], x.shape));
    }));
    this.t = state.step;
  }

  dispose(): void {
    for (const [m, v] of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }

  private momentsOf(x: tf.Variable): [tf.Variable, tf.Variable] {
    let mv = this.moments.get(x.name);
    if (!mv) {
      mv = tf.tidy(() => [tf.variable(tf.zerosLike(x), false), tf.variable(tf.zerosLike(x), false)] as [tf.Variable, tf.Variable]);
      this.moments.set(x.name, mv);
    }
    return mv;
  }

  /** The unfused update, op for op as tf.train.adam. */
  private update(x: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, c1: number, c2: number): tf.Tensor[] {
    const m2 = tf.add(tf.mul(m, BETA1), tf.mul(g, 1 - BETA1));
    const v2 = tf.add(tf.mul(v, BETA2), tf.mul(tf.square(g), 1 - BETA2));
    const step = tf.div(tf.div(m2, c1), tf.add(tf.sqrt(tf.div(v2, c2)), this.epsilon));
    return [tf.add(tf.mul(step, -this.learningRate), x), m2, v2];
  }
}
