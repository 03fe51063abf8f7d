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

/**
 * n pseudo-random values made in JS (the same on every backend): (the sum of `terms` uniforms
 * in [0,1) − terms/2)·scale + shift, from a linear congruential stream seeded by `seed`.
 */
export function testValues(n: number, seed: number, { terms = 2, scale = 2, shift = 0 } = {}): Float32Array {
  let s = seed * 2654435761 >>> 0;
  const next = () => { s = (s * 1664525 + 1013904223) >>> 0; return s / 2 ** 32; };
  return Float32Array.from({ length: n }, () => {
    let v = 0;
    for (let k = 0; k < terms; k++) v += next();
    return (v - terms / 2) * scale + shift;
  });
}
