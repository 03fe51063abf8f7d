/** The WebGPU kernel of fusedAddRelu.ts: y = max(a + b, 0) in one grid-stride dispatch. */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { ADD_RELU_KERNEL } from './fusedAddRelu';
import { dispatchRaw, groups1d, webgpuInternals } from './webgpuRaw';

const WGSL = /* wgsl */ `
struct U { n: u32 }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  for (var i = gid.x; i < u.n; i = i + nw.x * 256u) { y[i] = max(a[i] + b[i], 0.0); }
}`;

function addRelu({ inputs: { a, b }, backend }: { inputs: Record<string, TensorInfo>; backend: unknown }): TensorInfo {
  const n = a.shape.reduce((p, q) => p * q, 1);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || b.shape.reduce((p, q) => p * q, 1) !== n) {
    throw new Error(`${ADD_RELU_KERNEL}: a and b must be float32 of one shape, got ${a.dtype} [${a.shape}] and ${b.dtype} [${b.shape}]`);
  }
  const out = webgpuInternals(backend).makeTensorInfo(a.shape, 'float32');
  if (n === 0) return out;
  dispatchRaw(backend, 'rtkAddRelu', WGSL, [out], [a, b], [{ type: 'uint32', data: [n] }], [groups1d(n, 256)]);
  return out;
}

export const webgpuAddReluConfig: KernelConfig = { kernelName: ADD_RELU_KERNEL, backendName: 'webgpu', kernelFunc: addRelu as unknown as KernelFunc };
