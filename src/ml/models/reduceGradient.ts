/**
 * Mean and Sum gradients that make no array on the host.
 *
 * tfjs-core's gradient of both spreads dy over x's shape as dy·ones(x.shape) (÷ n for Mean).
 * `tf.ones` builds that array in JavaScript and uploads it, every step: at a 224 px pilot 1.2 MiB
 * a call, 294 calls in its first 40 s, garbage that piles up in the worker until V8 collects
 * it, and on WebGPU an upload per call. Here dy is broadcast by the backend instead
 * (tf.broadcastTo, one kernel): the same values, since multiplying by one is exact.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap } from '@tensorflow/tfjs';

const stock = new Map<string, GradConfig>();

function spread(dy: tf.Tensor, x: tf.Tensor, attrs: NamedAttrMap): { wide: tf.Tensor; n: number } {
  const axes = tf.util.parseAxisParam((attrs as { axis: number | number[] }).axis, x.shape);
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const n = axes.reduce((a, i) => a * x.shape[i], 1);
  return { wide: tf.broadcastTo(tf.reshape(dy, kept), x.shape), n };
}

const GRADS: Record<'Mean' | 'Sum', GradConfig['gradFunc']> = {
  Mean: (dy, saved, attrs) => ({
    x: () => {
      const { wide, n } = spread(dy as tf.Tensor, saved[0], attrs);
      return tf.div(wide, n);
    },
  }),
  Sum: (dy, saved, attrs) => ({
    x: () => spread(dy as tf.Tensor, saved[0], attrs).wide,
  }),
};

/** Replaces the Mean and Sum gradients (idempotent; the stock ones are kept for tests). */
export function registerLeanReduceGradients(): void {
  for (const [name, gradFunc] of Object.entries(GRADS)) {
    if (stock.has(name)) continue;
    const was = tf.getGradient(name);
    if (!was) throw new Error(`TF.js has no gradient registered for ${name} to replace.`);
    stock.set(name, was);
    tf.registerGradient({ kernelName: name, inputsToSave: was.inputsToSave, gradFunc });
  }
}

/** Puts the stock gradients back (tests compare the two). */
export function restoreStockReduceGradients(): void {
  for (const cfg of stock.values()) tf.registerGradient(cfg);
  stock.clear();
}
