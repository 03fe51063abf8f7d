/**
 * For the WebGPU unit tests only: starts TF.js's webgpu backend on Dawn in Node (SwiftShader
 * where there is no GPU) with the studio's training kernels, step hygiene and storage-buffer limit.
 * Resolves false where no adapter can be had; the tests then skip. `testValues` makes their inputs.
 */
import { installDawn, startDawnWebGpu } from '../../../scripts/lib/dawn';
import { installWebGpuHygiene } from './webgpuRaw';
import { registerWebGpuTrainingKernels } from './webgpuKernels';
import { raiseStorageBufferLimit } from './webgpuLimits';

export async function startTrainingWebGpu(): Promise<boolean> {
  // As initBackend does: the device gets the adapter's storage-buffer limit (SwiftShader: 12).
  try { await installDawn(); } catch { return false; }
  raiseStorageBufferLimit();
  if (!(await startDawnWebGpu())) return false;
  registerWebGpuTrainingKernels();
  installWebGpuHygiene();
  return true;
}

export { testValues } from './testValues';
