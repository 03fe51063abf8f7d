/**
 * Unpack (tf.unstack, and the gradient of every tf.stack) as one WebGPU dispatch for up to
 * (storage-buffer limit − 1) outputs: TF.js runs one slice per output. x is viewed as
 * [outer, num, inner] around the unpacked axis; output j is x[:, j, :]. Other dtypes than
 * float32 and int32 go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { unpackGeometry } from './unpackGeometry';
import { dispatchRaw, groups1d, storedAsOwnDtype, webgpuInternals } from './webgpuRaw';

function wgsl(k: number, type: 'f32' | 'i32'): string {
  const outs = Array.from({ length: k }, (_, j) => `@group(0) @binding(${j}) var<storage, read_write> y${j}: array<${type}>;`).join('\n');
  const body = Array.from({ length: k }, (_, j) => `    y${j}[i] = x[(o * u.num + u.first + ${j}u) * u.inner + r];`).join('\n');
  return /* wgsl */ `
struct U { n: u32, num: u32, inner: u32, first: u32 }
${outs}
@group(0) @binding(${k}) var<storage, read> x: array<${type}>;
@group(0) @binding(${k + 1}) var<uniform> u: U;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  for (var i = gid.x; i < u.n; i = i + nw.x * 256u) {
    let o = i / u.inner;
    let r = i % u.inner;
${body}
  }
}`;
}

export function webgpuUnpackConfig(): KernelConfig | null {
  const stock = tf.getKernel('Unpack', 'webgpu');
  if (!stock) return null;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => {
    const x = args.inputs.value;
    const { num, outer, inner, outShape } = unpackGeometry(x, args.attrs);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || !storedAsOwnDtype(args.backend, x) || num === 0 || outer * inner === 0) {
      return stock.kernelFunc(args as never);
    }
    const be = webgpuInternals(args.backend);
    const limit = (be.device.limits as { maxStorageBuffersPerShaderStage?: number } | undefined)?.maxStorageBuffersPerShaderStage ?? 8;
    const per = Math.max(1, limit - 1);
    const outs = Array.from({ length: num }, () => be.makeTensorInfo(outShape, x.dtype));
    const type = x.dtype === 'float32' ? 'f32' : 'i32';
    const n = outer * inner;
    for (let first = 0; first < num; first += per) {
      const k = Math.min(per, num - first);
      dispatchRaw(args.backend, `rtkUnpack${k}${type}`, wgsl(k, type), outs.slice(first, first + k), [x],
        [{ type: 'uint32', data: [n] }, { type: 'uint32', data: [num] }, { type: 'uint32', data: [inner] }, { type: 'uint32', data: [first] }],
        [groups1d(n, 256)]);
    }
    return outs;
  };
  return { kernelName: 'Unpack', backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
}
