/**
 * relu(a + b) of two same-shape float32 tensors as one op (the residual add and ReLU that end a
 * teacher block, models/frozen.ts): one dispatch on WebGPU (webgpuAddRelu.ts registers its
 * kernel), tf.relu(tf.add(a, b)) elsewhere. Gradient dy·[y > 0] for both inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './customOp';

export const ADD_RELU_KERNEL = 'RtkAddRelu';

export function addRelu(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const fused = tf.getKernel(ADD_RELU_KERNEL, tf.getBackend()) != null && a.dtype === 'float32' && b.dtype === 'float32'
    && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  if (!fused) return tf.tidy(() => tf.relu(tf.add(a, b)));
  const op = customOp((x: tf.Tensor, y: tf.Tensor, save: tf.GradSaveFunc) => {
    const out = tf.engine().runKernel(ADD_RELU_KERNEL, { a: x, b: y }) as tf.Tensor;
    save([out]);
    return {
      value: out,
      gradFunc: (dy: tf.Tensor, [o]: tf.Tensor[]) => {
        const g = tf.mul(dy, tf.step(o));
        return [g, tf.clone(g)];
      },
    };
  });
  return op(a, b);
}
