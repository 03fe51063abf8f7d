/**
 * SGD with momentum and weight decay, the same update as torch.optim.SGD (dampening 0, not
 * Nesterov), so the exported PyTorch job trains the same way:
 *
 *   g' = g + λ·w          (weight decay on every optimised variable)
 *   v  ← μ·v + g'         (v starts at 0, so the first step is v = g')
 *   w  ← w − lr·v
 *
 * Its state (step count and the momentum buffers v) goes into checkpoints like Adam's, so a run
 * resumed after a reload continues exactly. In OptimiserState the buffers are `m`; `v` is empty.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimiserState } from '../../domain';
import type { Optimiser } from './adam';

export class Sgd implements Optimiser {
  private readonly buffers = new Map<string, tf.Variable>();
  private t = 0;

  constructor(public learningRate: number, readonly momentum: number, readonly weightDecay: number) {
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`SGD momentum must be in [0, 1), got ${momentum}`);
    if (!(weightDecay >= 0)) throw new RangeError(`SGD weight decay must be ≥ 0, got ${weightDecay}`);
  }

  applyGradients(grads: tf.NamedTensorMap): void {
    this.t += 1;
    for (const [name, g] of Object.entries(grads)) {
      const x = tf.engine().registeredVariables[name];
      if (x == null) throw new Error(`SGD: no variable named ${name}`);
      const v = this.bufferOf(x);
      tf.tidy(() => {
        const gd = this.weightDecay > 0 ? tf.add(g, tf.mul(x, this.weightDecay)) : g;
        const v2 = tf.add(tf.mul(v, this.momentum), gd);
        v.assign(v2);
        x.assign(tf.sub(x, tf.mul(v2, this.learningRate)));
      });
    }
  }

  async readState(vars: tf.Variable[]): Promise<OptimiserState> {
    const m = await Promise.all(vars.map(async (x) => {
      const b = this.buffers.get(x.name);
      return b ? Float32Array.from(await b.data()) : new Float32Array(x.size);
    }));
    return { step: this.t, m, v: [] };
  }

  setState(vars: tf.Variable[], state: OptimiserState): void {
    if (state.m.length !== vars.length || state.v.length !== 0) {
      throw new Error(`SGD.setState: the state holds ${state.m.length} momentum buffers${state.v.length ? ' and second moments (an Adam state)' : ''}, the model ${vars.length} variables`);
    }
    vars.forEach((x, i) => {
      if (state.m[i].length !== x.size) throw new Error(`SGD.setState: variable ${i} (shape ${x.shape}) has ${x.size} values, the state ${state.m[i].length}`);
    });
    tf.tidy(() => vars.forEach((x, i) => this.bufferOf(x).assign(tf.tensor(state.m[i], x.shape))));
    this.t = state.step;
  }

  dispose(): void {
    tf.dispose([...this.buffers.values()]);
    this.buffers.clear();
  }

  private bufferOf(x: tf.Variable): tf.Variable {
    let b = this.buffers.get(x.name);
    if (!b) {
      b = tf.tidy(() => tf.variable(tf.zerosLike(x), false));
      this.buffers.set(x.name, b);
    }
    return b;
  }
}
