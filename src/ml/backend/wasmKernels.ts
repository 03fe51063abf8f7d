/**
 * Training kernels that TF.js 4.22's wasm backend lacks (or has only as slow scalar loops),
 * built from the backend's own XNNPACK-backed kernels plus tight typed-array loops that work
 * directly on the wasm heap (no copies in or out). This module registers them; the kernels
 * live in wasmConvGrads.ts (Conv2DBackpropFilter / Conv2DBackpropInput) and
 * wasmDepthwiseGrads.ts (DepthwiseConv2dNativeBackpropInput / …BackpropFilter), on the helpers
 * of wasmKernelUtil.ts and wasmIm2col.ts; the elementwise fast paths are in wasmFastOps.ts, and
 * a fused Adam update (a kernel of our own, used by src/ml/train/adam.ts) in wasmAdam.ts.
 *
 * Only NHWC, dilations 1 (what the tfjs-core gradients send). `registerWasmTrainingKernels()`
 * is idempotent and can run before or after the wasm backend is initialised.
 */
import * as tf from '@tensorflow/tfjs';
// Registers the wasm backend and its kernels first, so ours replace the stock ones for good.
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmFastOps, WASM_FAST_OPS } from './wasmFastOps';
import { conv2DBackpropFilter, conv2DBackpropInput } from './wasmConvGrads';
import { depthwiseBackpropFilter, depthwiseBackpropInput } from './wasmDepthwiseGrads';
import { WASM_ADAM_KERNEL } from './wasmAdam';
import { WASM_BATCH_NORM_KERNELS } from './wasmBatchNorm';
import { wasmUnpackConfig } from './wasmUnpack';
import type { KernelConfig } from '@tensorflow/tfjs';

const KERNELS: KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as never },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as never },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: depthwiseBackpropInput as never },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: depthwiseBackpropFilter as never },
  WASM_ADAM_KERNEL,
  ...WASM_BATCH_NORM_KERNELS,
];

/** Names of the kernels this module installs for 'wasm' (new or replacing slow stock ones). */
export const WASM_TRAINING_KERNELS: readonly string[] = [...KERNELS.map((k) => k.kernelName), 'Unpack'];
export { WASM_FAST_OPS };

let registered = false;

/**
 * Registers the training kernels for backend 'wasm' (replacing the stock scalar
 * Conv2DBackpropInput) and the fast paths of wasmFastOps.ts. Idempotent. Needs `@tensorflow/tfjs-backend-wasm` to be imported
 * (it registers the backend and the kernels ours build on).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const k of KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm') != null) tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
  // Over the stock Unpack, which it falls back to for other dtypes (wasmUnpack.ts).
  const unpack = wasmUnpackConfig();
  if (unpack) {
    tf.unregisterKernel('Unpack', 'wasm');
    tf.registerKernel(unpack);
  }
  registerWasmFastOps();
  registered = true;
}
