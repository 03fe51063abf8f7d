/**
 * Sum and Mean over every axis but the last (per-channel statistics of NHWC activations: batch
 * norm, its gradient, attention maps), or over every axis but the first and the last (global
 * average pooling of NHWC: [B,H,W,C] → [B,C]), as one WebGPU dispatch: one workgroup per output
 * value sums its column with a strided loop and a shared-memory tree. TF.js transposes such a
 * tensor first and then reduces (two dispatches, and a full copy). Other reductions, and int32,
 * go to the stock kernel. Also the gradient of global average pooling (fusedGap.ts) in one dispatch.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { GAP_GRAD_KERNEL } from './fusedGap';
import { type KernelArgs, dispatchRaw, f32, groups1d, storedAsOwnDtype, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;
const WGSL = /* wgsl */ `
struct U { rows: u32, cols: u32, scale: f32 }
// x viewed as [outer, rows, cols]; workgroup (c, o) writes y[o·cols + c].
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  let base = wid.y * u.rows * u.cols;
  var s = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { s = s + x[base + r * u.cols + c]; }
  part[lid.x] = s;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { part[lid.x] = part[lid.x] + part[lid.x + k]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { y[wid.y * u.cols + c] = part[0] * u.scale; }
}`;

/** The axes named by `axis`, made non-negative, without repeats, sorted. */
function normalised(axis: number | number[], rank: number): number[] {
  return [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

/** True when `axis` names exactly the axes 0 … rank−2 of a tensor of that rank (≥ 2). */
export function allButLast(axis: number | number[] | undefined | null, rank: number): boolean {
  if (rank < 2 || axis == null) return false;
  const axes = normalised(axis, rank);
  return axes.length === rank - 1 && axes.every((a, i) => a === i);
}

/** True when `axis` names exactly the axes 1 … rank−2 of a tensor of that rank (≥ 3). */
export function allButFirstAndLast(axis: number | number[] | undefined | null, rank: number): boolean {
  if (rank < 3 || axis == null) return false;
  const axes = normalised(axis, rank);
  return axes.length === rank - 2 && axes.every((a, i) => a === i + 1);
}

function reduceKernel(name: 'Sum' | 'Mean'): KernelConfig | null {
  const stock = tf.getKernel(name, 'webgpu');
  if (!stock) return null;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => {
    const { x } = args.inputs;
    const { axis, keepDims } = (args.attrs ?? {}) as { axis?: number | number[]; keepDims?: boolean };
    const rank = x.shape.length;
    const cols = x.shape[rank - 1];
    const keepFirst = allButFirstAndLast(axis, rank);
    const outer = keepFirst ? x.shape[0] : 1;
    const rows = x.shape.slice(keepFirst ? 1 : 0, -1).reduce((a, b) => a * b, 1);
    if (x.dtype !== 'float32' || !storedAsOwnDtype(args.backend, x) || !(keepFirst || allButLast(axis, rank)) || cols === 0 || cols > 65535 || rows === 0
      || outer === 0 || outer > 65535) {
      return stock.kernelFunc(args as never);
    }
    const inner = keepDims ? x.shape.slice(keepFirst ? 1 : 0, -1).map(() => 1) : [];
    const outShape = [...(keepFirst ? [outer] : []), ...inner, cols];
    const out = webgpuInternals(args.backend).makeTensorInfo(outShape, 'float32');
    dispatchRaw(args.backend, 'rtkColumnReduce', WGSL, [out], [x],
      [{ type: 'uint32', data: [rows] }, { type: 'uint32', data: [cols] }, { type: 'float32', data: [name === 'Mean' ? 1 / rows : 1] }], [cols, outer]);
    return out;
  };
  return { kernelName: name, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as KernelFunc };
}

/** The two reductions, wrapping the stock kernels registered now (call once, after the webgpu backend is imported). */
export function webgpuReduceConfigs(): KernelConfig[] {
  return [reduceKernel('Sum'), reduceKernel('Mean')].filter((k): k is KernelConfig => k != null);
}

const GAP_GRAD = /* wgsl */ `
struct U { n: u32, pixels: u32, cols: u32, scale: f32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dp: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  for (var i = gid.x; i < u.n; i = i + nw.x * 256u) { dx[i] = dp[(i / (u.pixels * u.cols)) * u.cols + i % u.cols] * u.scale; }
}`;

/** dx [B,H,W,C] = dp [B,C] / (H·W) for every pixel. */
function gapGrad({ inputs: { dp }, backend, attrs }: KernelArgs): TensorInfo {
  const shape = attrs!.shape as number[];
  const [B, H, W, C] = shape;
  if (shape.length !== 4 || dp.dtype !== 'float32' || dp.shape.length !== 2 || dp.shape[0] !== B || dp.shape[1] !== C) {
    throw new Error(`${GAP_GRAD_KERNEL}: dp must be float32 [B,C] for x [${shape}], got ${dp.dtype} [${dp.shape}]`);
  }
  const out = webgpuInternals(backend).makeTensorInfo(shape, 'float32');
  const n = B * H * W * C;
  if (n === 0) return out;
  dispatchRaw(backend, 'rtkGapGrad', GAP_GRAD, [out], [dp], [u32(n), u32(H * W), u32(C), f32(1 / (H * W))], [groups1d(n, 256)]);
  return out;
}

export const webgpuGapGradConfigs: KernelConfig[] = webgpuConfigs([GAP_GRAD_KERNEL, gapGrad]);
