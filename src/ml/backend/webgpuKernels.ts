/**
 * Our WebGPU training kernels, registered through TF.js's kernel registry for backend 'webgpu':
 * webgpuAdam.ts (the fused Adam update), webgpuReduce.ts (Sum / Mean over all axes but the last,
 * or but the first and the last, in one dispatch; global average pooling's gradient), webgpuUnpack.ts (Unpack in one dispatch),
 * webgpuBatchNorm.ts and webgpuBatchNorm2d.ts (training-mode batch norm + ReLU and its gradient; with the Linear before it),
 * webgpuLosses.ts (CE and KD of logits, the teacher's normalised energy maps), webgpuAfd.ts
 * (energy maps, L2-normalised rows, row distances, with gradients), webgpuAddRelu.ts (a residual
 * add and its ReLU), webgpuAttention.ts (AFD's attention logits and the gradient of α),
 * webgpuAfdDistance.ts (AFD's whole distance D, forward and backward), webgpuRtk.ts (RTK's key
 * selection and loss).
 * `registerWebGpuTrainingKernels()` is idempotent; call it after `@tensorflow/tfjs-backend-webgpu`
 * is imported so ours replace any stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { webgpuAdamConfig } from './webgpuAdam';
import { webgpuBatchNormConfigs } from './webgpuBatchNorm';
import { webgpuBatchNorm2dConfigs } from './webgpuBatchNorm2d';
import { BN_KERNELS, LINEAR_BN_KERNELS } from './fusedBatchNorm';
import { LOSS_KERNELS } from './fusedLosses';
import { AFD_KERNELS } from './fusedAfd';
import { webgpuAfdConfigs } from './webgpuAfd';
import { AFD_DISTANCE_KERNELS } from './fusedAfdDistance';
import { webgpuAfdDistanceConfigs } from './webgpuAfdDistance';
import { RTK_KERNELS } from './fusedRtk';
import { webgpuRtkConfigs } from './webgpuRtk';
import { ADD_RELU_KERNEL } from './fusedAddRelu';
import { webgpuAddReluConfig } from './webgpuAddRelu';
import { ATTENTION_KERNELS } from './fusedAttention';
import { webgpuAttentionConfigs } from './webgpuAttention';
import { webgpuLossConfigs } from './webgpuLosses';
import { GAP_GRAD_KERNEL } from './fusedGap';
import { webgpuGapGradConfigs, webgpuReduceConfigs } from './webgpuReduce';
import { webgpuUnpackConfig } from './webgpuUnpack';

export const WEBGPU_TRAINING_KERNELS: readonly string[] = [
  'RtkAdamStep', 'Sum', 'Mean', GAP_GRAD_KERNEL, 'Unpack', ...Object.values(BN_KERNELS), ...Object.values(LINEAR_BN_KERNELS), ...Object.values(LOSS_KERNELS), ...Object.values(AFD_KERNELS),
  ADD_RELU_KERNEL, ...Object.values(ATTENTION_KERNELS), ...Object.values(AFD_DISTANCE_KERNELS), ...Object.values(RTK_KERNELS),
];

let registered = false;

export function registerWebGpuTrainingKernels(): void {
  if (registered) return;
  // The reductions and Unpack wrap the stock kernels (their fallback), so they are read before replacing.
  const unpack = webgpuUnpackConfig();
  const all = [webgpuAdamConfig, ...webgpuReduceConfigs(), ...webgpuGapGradConfigs, ...(unpack ? [unpack] : []), ...webgpuBatchNormConfigs, ...webgpuBatchNorm2dConfigs,
    ...webgpuLossConfigs, ...webgpuAfdConfigs, webgpuAddReluConfig, ...webgpuAttentionConfigs, ...webgpuAfdDistanceConfigs, ...webgpuRtkConfigs];
  for (const k of all) {
    if (tf.getKernel(k.kernelName, 'webgpu') != null) tf.unregisterKernel(k.kernelName, 'webgpu');
    tf.registerKernel(k);
  }
  registered = true;
}
