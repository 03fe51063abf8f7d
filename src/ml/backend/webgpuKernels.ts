/**
 * Our WebGPU training kernels, registered through TF.js's kernel registry for backend 'webgpu'
 * (webgpuAdam.ts: the fused Adam update; webgpuReduce.ts: Sum / Mean over all axes but the
 * last in one dispatch). `registerWebGpuTrainingKernels()` is idempotent; call
 * it after `@tensorflow/tfjs-backend-webgpu` is imported so ours replace any stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpuAdamConfig } from './webgpuAdam';
import { webgpuReduceConfigs } from './webgpuReduce';

export const WEBGPU_TRAINING_KERNELS: readonly string[] = ['RtkAdamStep', 'Sum', 'Mean'];

let registered = false;

export function registerWebGpuTrainingKernels(): void {
  if (registered) return;
  // The reductions wrap the stock kernels (their fallback), so they are read before replacing.
  for (const k of [webgpuAdamConfig, ...webgpuReduceConfigs()]) {
    if (tf.getKernel(k.kernelName, 'webgpu') != null) tf.unregisterKernel(k.kernelName, 'webgpu');
    tf.registerKernel(k);
  }
  registered = true;
}
