/**
 * Global average pooling of NHWC activations, p[b,c] = Σ_{h,w} x[b,h,w,c] / (H·W), whose
 * gradient dx[b,h,w,c] = dp[b,c] / (H·W) is one dispatch on backends that register its kernel
 * (webgpuReduce.ts: WebGPU) instead of tf.mean's two (a broadcast multiply and a divide). The
 * forward pass is tf.mean (one dispatch there too).
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './customOp';

export const GAP_GRAD_KERNEL = 'RtkGapGrad';

/** mean over H and W of x [B,H,W,C] → [B,C], differentiable. */
export function globalAveragePool(x: tf.Tensor4D): tf.Tensor2D {
  if (tf.getKernel(GAP_GRAD_KERNEL, tf.getBackend()) == null || x.dtype !== 'float32') return tf.mean(x, [1, 2]) as tf.Tensor2D;
  const shape = x.shape;
  const op = customOp((xi: tf.Tensor, _save: tf.GradSaveFunc) => ({
    value: tf.mean(xi, [1, 2]),
    gradFunc: (dp: tf.Tensor) => tf.engine().runKernel(GAP_GRAD_KERNEL, { dp }, { shape }) as tf.Tensor,
  }));
  return op(x) as tf.Tensor2D;
}
