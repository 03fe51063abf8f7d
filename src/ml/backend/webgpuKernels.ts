/**
 * Our WebGPU training kernels, registered through TF.js's kernel registry for backend 'webgpu'
 * (webgpuAdam.ts: the fused Adam update). `registerWebGpuTrainingKernels()` is idempotent; call
 * it after `@tensorflow/tfjs-backend-webgpu` is imported so ours replace any stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs';
import { webgpuAdamConfig } from './webgpuAdam';

const KERNELS: KernelConfig[] = [webgpuAdamConfig];

export const WEBGPU_TRAINING_KERNELS: readonly string[] = KERNELS.map((k) => k.kernelName);

let registered = false;

export function registerWebGpuTrainingKernels(): void {
  if (registered) return;
  for (const k of KERNELS) {
    if (tf.getKernel(k.kernelName, 'webgpu') != null) tf.unregisterKernel(k.kernelName, 'webgpu');
    tf.registerKernel(k);
  }
  registered = true;
}
