/**
 * `tf.customGrad` with the forward function's inputs typed as tensors and the save function
 * last (TF.js types every argument as `Tensor | GradSaveFunc`).
 */
import * as tf from '@tensorflow/tfjs';

export interface CustomResult {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}

export function customOp<A extends tf.Tensor[]>(f: (...args: [...A, tf.GradSaveFunc]) => CustomResult): (...inputs: A) => tf.Tensor {
  return tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: A) => tf.Tensor;
}
