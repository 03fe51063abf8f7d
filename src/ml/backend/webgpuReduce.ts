/**
 * Sum and Mean over every axis but the last (per-channel statistics of NHWC activations: batch
 * norm, its gradient, attention maps) as one WebGPU dispatch: one workgroup per channel sums
 * its column with a strided loop and a shared-memory tree. TF.js transposes such a tensor first
 * and then reduces (two dispatches, and a full copy). Other reductions, and int32, go to the
 * stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { dispatchRaw, webgpuInternals } from './webgpuRaw';

const WG = 64;
const WGSL = /* wgsl */ `
struct U { rows: u32, cols: u32, scale: f32 }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  var s = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { s = s + x[r * u.cols + c]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { part[lid.x] = part[lid.x] + part[lid.x + k]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { y[c] = part[0] * u.scale; }
}`;

/** True when `axis` names exactly the axes 0 … rank−2 of a tensor of that rank (≥ 2). */
export function allButLast(axis: number | number[] | undefined | null, rank: number): boolean {
  if (rank < 2 || axis == null) return false;
  const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

function reduceKernel(name: 'Sum' | 'Mean'): KernelConfig | null {
  const stock = tf.getKernel(name, 'webgpu');
  if (!stock) return null;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => {
    const { x } = args.inputs;
    const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    const cols = x.shape[x.shape.length - 1];
    const rows = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
    if (x.dtype !== 'float32' || !allButLast(axis, x.shape.length) || cols === 0 || cols > 65535 || rows === 0) {
      return stock.kernelFunc(args as never);
    }
    const outShape = keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols];
    const out = webgpuInternals(args.backend).makeTensorInfo(outShape, 'float32');
    dispatchRaw(args.backend, 'rtkColumnReduce', WGSL, [out], [x],
      [{ type: 'uint32', data: [rows] }, { type: 'uint32', data: [cols] }, { type: 'float32', data: [name === 'Mean' ? 1 / rows : 1] }], [cols]);
    return out;
  };
  return { kernelName: name, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The two reductions, wrapping the stock kernels registered now (call once, after the webgpu backend is imported). */
export function webgpuReduceConfigs(): KernelConfig[] {
  return [reduceKernel('Sum'), reduceKernel('Mean')].filter((k): k is KernelConfig => k != null);
}
