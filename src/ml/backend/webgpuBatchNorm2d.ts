/**
 * Training-mode batch norm (+ ReLU) of a [rows, C] matrix (the attention module's Linear + BN:
 * rows = B or B·S) as one dispatch forward and one backward: one workgroup per channel computes
 * μ and σ² (the same two passes and sums as webgpuBatchNorm.ts), then writes its column of y (or
 * dx) itself; the backward pass recomputes μ and σ² from x in the same order, so they are the
 * forward values bit for bit. The maths is fusedBatchNorm.ts's. Conv activations (rank 4, rows =
 * N·H·W) keep the four-kernel route, which spreads the elementwise work over the whole device.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { BN_KERNELS } from './fusedBatchNorm';
import { geometry } from './webgpuBatchNorm';
import { type KernelArgs, dispatchRaw, f32, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;

const reduce = (p: string) => /* wgsl */ `
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { ${p} }
    workgroupBarrier();
  }`;

/** μ and σ² of column c into m and v (every thread), as STATS in webgpuBatchNorm.ts. */
const MOMENTS = /* wgsl */ `
  var s = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { s = s + x[r * u.cols + c]; }
  p1[lid.x] = s;${reduce('p1[lid.x] = p1[lid.x] + p1[lid.x + k];')}
  let m = p1[0] * u.invRows;
  var q = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { let d = x[r * u.cols + c] - m; q = q + d * d; }
  workgroupBarrier();
  p1[lid.x] = q;${reduce('p1[lid.x] = p1[lid.x] + p1[lid.x + k];')}
  let v = p1[0] * u.invRows;`;

const TRAIN = /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, eps: f32, relu: u32, style: u32, a: f32, b: f32, c: f32 }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read_write> mm2: array<f32>;
@group(0) @binding(2) var<storage, read_write> mv2: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> mm: array<f32>;
@group(0) @binding(5) var<storage, read> mv: array<f32>;
@group(0) @binding(6) var<storage, read> gamma: array<f32>;
@group(0) @binding(7) var<storage, read> beta: array<f32>;
@group(0) @binding(8) var<uniform> u: U;
var<workgroup> p1: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;${MOMENTS}
  let inv = gamma[c] * inverseSqrt(v + u.eps);
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var o = dot(vec3<f32>(x[i], -m, beta[c]), vec3<f32>(inv, inv, 1.0));
    if (u.relu == 1u) { o = max(o, 0.0); }
    y[i] = o;
  }
  if (lid.x == 0u) {
    if (u.style == 0u) {
      mm2[c] = mm[c] - (mm[c] - m) * u.a;
      mv2[c] = mv[c] - (mv[c] - v) * u.a;
    } else {
      mm2[c] = mm[c] * u.a + m * u.b;
      mv2[c] = mv[c] * u.a + v * u.c;
    }
  }
}`;

const GRAD = /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, eps: f32, relu: u32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(2) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read> x: array<f32>;
@group(0) @binding(6) var<storage, read> gamma: array<f32>;
@group(0) @binding(7) var<uniform> u: U;
var<workgroup> p1: array<f32, ${WG}>;
var<workgroup> p2: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;${MOMENTS}
  var s1 = 0.0;
  var s2 = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var g = dy[i];
    if (u.relu == 1u && !(y[i] > 0.0)) { g = 0.0; }
    s1 = s1 + g;
    s2 = s2 + g * (x[i] - m);
  }
  workgroupBarrier();
  p1[lid.x] = s1;
  p2[lid.x] = s2;${reduce('p1[lid.x] = p1[lid.x] + p1[lid.x + k]; p2[lid.x] = p2[lid.x] + p2[lid.x + k];')}
  let inv = inverseSqrt(v + u.eps);
  let db = p1[0];
  let dg = p2[0] * inv;
  let a = gamma[c] * inv;
  let cb = db * u.invRows;
  let cg = dg * inv * u.invRows;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var g = dy[i];
    if (u.relu == 1u && !(y[i] > 0.0)) { g = 0.0; }
    dx[i] = a * (g - cb - (x[i] - m) * cg);
  }
  if (lid.x == 0u) { dbeta[c] = db; dgamma[c] = dg; }
}`;

function train({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { x, movingMean, movingVariance, gamma, beta } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.train2d, x, ['movingMean', movingMean, 1], ['movingVariance', movingVariance, 1],
    ['gamma', gamma, 1], ['beta', beta, 1]);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(x.shape, 'float32'), be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32')];
  const momentum = attrs!.momentum as number;
  const avg = attrs!.style === 'torch'
    ? [u32(1), f32(1 - momentum), f32(momentum), f32(momentum * (rows > 1 ? rows / (rows - 1) : 1))]
    : [u32(0), f32(1 - momentum), f32(0), f32(0)];
  dispatchRaw(backend, 'rtkBnTrain2d', TRAIN, outs, [x, movingMean, movingVariance, gamma, beta],
    [u32(rows), u32(cols), f32(1 / rows), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0), ...avg], [cols]);
  return outs;
}

function grad({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, y, x, gamma } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.grad2d, x, ['gamma', gamma, 1]);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(x.shape, 'float32'), be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32')];
  dispatchRaw(backend, 'rtkBnGrad2d', GRAD, outs, [dy, y, x, gamma],
    [u32(rows), u32(cols), f32(1 / rows), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0)], [cols]);
  return outs;
}

export const webgpuBatchNorm2dConfigs: KernelConfig[] = webgpuConfigs(
  [BN_KERNELS.train2d, train],
  [BN_KERNELS.grad2d, grad],
);
