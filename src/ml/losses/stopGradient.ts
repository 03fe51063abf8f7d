/**
 * Gradient barriers. TF.js 4.22 has no `tf.stopGradient`, so we build one from `tf.customGrad`
 * called with **no tensor inputs**: the value is computed inside the custom op's forward
 * function (ops there are not recorded on the tape, because the engine only records at kernel
 * depth 0), and the tape node has no inputs, so no path leads back from the result to anything
 * the value was computed from. `tf.grads` with respect to such a source then reports "Cannot
 * compute gradient", i.e. the source receives no gradient at all (not even zeros).
 */
import * as tf from '@tensorflow/tfjs';

/** Value of `fn()` as a tensor with no gradient connection to any tensor `fn` read. */
export function withoutGradient<T extends tf.Tensor>(fn: () => T): T {
  const op = tf.customGrad(() => ({ value: tf.tidy(fn), gradFunc: () => [] }));
  return op() as T;
}

/** Same values as `x`, cut from the tape (the teacher's taps and logits, the RTK mask). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return withoutGradient(() => tf.clone(x));
}
