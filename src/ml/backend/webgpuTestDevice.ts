/**
 * For the WebGPU unit tests only: starts TF.js's webgpu backend on Dawn in Node (SwiftShader
 * where there is no GPU) with the studio's training kernels and step hygiene installed.
 * Resolves false where no adapter can be had; the tests then skip.
 */
import { startDawnWebGpu } from '../../../scripts/lib/dawn';
import { installWebGpuHygiene } from './webgpuRaw';
import { registerWebGpuTrainingKernels } from './webgpuKernels';

export async function startTrainingWebGpu(): Promise<boolean> {
  if (!(await startDawnWebGpu())) return false;
  registerWebGpuTrainingKernels();
  installWebGpuHygiene();
  return true;
}
