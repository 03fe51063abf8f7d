/**
 * The value of `fn()` cut from the gradient tape (the backend's copy of losses/stopGradient.ts's
 * `withoutGradient`, which backend code may not import): a tf.customGrad with no tensor inputs.
 */
import * as tf from '@tensorflow/tfjs';

export function withoutGradientOf<T extends tf.Tensor>(fn: () => T): T {
  const op = tf.customGrad(() => ({ value: tf.tidy(fn), gradFunc: () => [] }));
  return op() as T;
}

/** `withoutGradientOf` for a function with several results. */
export function withoutGradientOfAll(fn: () => tf.Tensor[]): tf.Tensor[] {
  let rest: tf.Tensor[] = [];
  const op = tf.customGrad(() => {
    const [first, ...others] = fn();
    rest = others.map((t) => tf.keep(t)); // past the op's own scope, then handed to the caller's
    return { value: first, gradFunc: () => [] };
  });
  const first = op() as tf.Tensor;
  return [first, ...rest.map((t) => { const c = tf.clone(t); t.dispose(); return c; })];
}
