/**
 * Training-mode batch norm (+ ReLU) as four WebGPU dispatches per layer, two forward and two
 * backward, for the op in fusedBatchNorm.ts (kernel names and the maths are there). The stock
 * route (tf.moments, FusedBatchNorm, the moving averages, ReLU and their gradients through
 * tfjs-layers) issues about 40 small kernels per layer.
 *
 * x is NHWC, seen as [rows, C] with rows = N·H·W. Per-channel vectors travel packed, so no
 * kernel binds more than the 8 storage buffers every WebGPU device offers:
 *   stats [2, C] = (μ, σ²),   coef [4, C] = (γ/√(σ²+ε), μ, dβ/rows, dγ/(√(σ²+ε)·rows)).
 * The per-channel reductions run one workgroup per channel (strided sums, then a shared-memory
 * tree), as webgpuReduce.ts does for Sum / Mean, so μ and σ² are summed in the same order as
 * tf.moments sums them on this backend.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { BN_KERNELS, bnGeometry, bnSameSize } from './fusedBatchNorm';
import { type KernelArgs, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;
const EW = 256;

const tree = (name: string) => /* wgsl */ `
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { ${name}[lid.x] = ${name}[lid.x] + ${name}[lid.x + k]; }
    workgroupBarrier();
  }`;

/**
 * stats = (mean, biased variance) per channel; the moving averages, style 0 (tfjs-layers)
 * m − (m − stat)·a, style 1 (PyTorch) m·a + μ·b and v·a + σ²·c.
 */
const STATS = /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, style: u32, a: f32, b: f32, c: f32 }
@group(0) @binding(0) var<storage, read_write> stats: array<f32>;
@group(0) @binding(1) var<storage, read_write> mm2: array<f32>;
@group(0) @binding(2) var<storage, read_write> mv2: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> mm: array<f32>;
@group(0) @binding(5) var<storage, read> mv: array<f32>;
@group(0) @binding(6) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
var<workgroup> mean: f32;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  var s = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { s = s + x[r * u.cols + c]; }
  part[lid.x] = s;
  workgroupBarrier();${tree('part')}
  if (lid.x == 0u) { mean = part[0] * u.invRows; }
  workgroupBarrier();
  let m = mean;
  var q = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { let d = x[r * u.cols + c] - m; q = q + d * d; }
  workgroupBarrier();
  part[lid.x] = q;
  workgroupBarrier();${tree('part')}
  if (lid.x == 0u) {
    let v = part[0] * u.invRows;
    stats[c] = m;
    stats[u.cols + c] = v;
    if (u.style == 0u) {
      mm2[c] = mm[c] - (mm[c] - m) * u.a;
      mv2[c] = mv[c] - (mv[c] - v) * u.a;
    } else {
      mm2[c] = mm[c] * u.a + m * u.b;
      mv2[c] = mv[c] * u.a + v * u.c;
    }
  }
}`;

/** y = (x − μ)·γ/√(σ² + ε) + β, then max(y, 0) when relu is 1 (TF.js's batchNorm arithmetic). */
const APPLY = /* wgsl */ `
struct U { n: u32, cols: u32, eps: f32, relu: u32 }
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> stats: array<f32>;
@group(0) @binding(3) var<storage, read> gamma: array<f32>;
@group(0) @binding(4) var<storage, read> beta: array<f32>;
@group(0) @binding(5) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * ${EW}u;
  for (var i = gid.x; i < u.n; i = i + stride) {
    let c = i % u.cols;
    let inv = gamma[c] * inverseSqrt(stats[u.cols + c] + u.eps);
    var v = dot(vec3<f32>(x[i], -stats[c], beta[c]), vec3<f32>(inv, inv, 1.0));
    if (u.relu == 1u) { v = max(v, 0.0); }
    y[i] = v;
  }
}`;

/** dz = dy·[y > 0] (or dy); dβ = Σ dz, dγ = Σ dz·(x − μ) / √(σ² + ε); coef for the input gradient. */
const GRAD_STATS = /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, eps: f32, relu: u32 }
@group(0) @binding(0) var<storage, read_write> dgamma: array<f32>;
@group(0) @binding(1) var<storage, read_write> dbeta: array<f32>;
@group(0) @binding(2) var<storage, read_write> coef: array<f32>;
@group(0) @binding(3) var<storage, read> dy: array<f32>;
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read> x: array<f32>;
@group(0) @binding(6) var<storage, read> stats: array<f32>;
@group(0) @binding(7) var<storage, read> gamma: array<f32>;
@group(0) @binding(8) var<uniform> u: U;
var<workgroup> p1: array<f32, ${WG}>;
var<workgroup> p2: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;
  let m = stats[c];
  var s1 = 0.0;
  var s2 = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var g = dy[i];
    if (u.relu == 1u && !(y[i] > 0.0)) { g = 0.0; }
    s1 = s1 + g;
    s2 = s2 + g * (x[i] - m);
  }
  p1[lid.x] = s1;
  p2[lid.x] = s2;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { p1[lid.x] = p1[lid.x] + p1[lid.x + k]; p2[lid.x] = p2[lid.x] + p2[lid.x + k]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) {
    let inv = inverseSqrt(stats[u.cols + c] + u.eps);
    let db = p1[0];
    let dg = p2[0] * inv;
    dbeta[c] = db;
    dgamma[c] = dg;
    coef[c] = gamma[c] * inv;
    coef[u.cols + c] = m;
    coef[2u * u.cols + c] = db * u.invRows;
    coef[3u * u.cols + c] = dg * inv * u.invRows;
  }
}`;

/** dx = γ/√(σ²+ε) · (dz − dβ/rows − (x − μ)·dγ/(√(σ²+ε)·rows)). */
const GRAD_INPUT = /* wgsl */ `
struct U { n: u32, cols: u32, relu: u32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> y: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> coef: array<f32>;
@group(0) @binding(5) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * ${EW}u;
  for (var i = gid.x; i < u.n; i = i + stride) {
    let c = i % u.cols;
    var g = dy[i];
    if (u.relu == 1u && !(y[i] > 0.0)) { g = 0.0; }
    dx[i] = coef[c] * (g - coef[2u * u.cols + c] - (x[i] - coef[u.cols + c]) * coef[3u * u.cols + c]);
  }
}`;

/** bnGeometry, and at most 65,535 channels (one workgroup per channel). */
export function geometry(name: string, x: TensorInfo, ...perChannel: [string, TensorInfo, number][]): { rows: number; cols: number; n: number } {
  const g = bnGeometry(name, x, ...perChannel);
  if (g.cols > 65535) throw new Error(`${name}: ${g.cols} channels, at most 65535 (one workgroup per channel)`);
  return g;
}

function stats({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { x, movingMean, movingVariance } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.stats, x, ['movingMean', movingMean, 1], ['movingVariance', movingVariance, 1]);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([2, cols], 'float32'), be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32')];
  const momentum = attrs!.momentum as number;
  // tfjs-layers: m − (m − μ)·(1 − momentum); PyTorch: m·(1 − momentum) + μ·momentum, σ² unbiased.
  const avg = attrs!.style === 'torch'
    ? [u32(1), f32(1 - momentum), f32(momentum), f32(momentum * (rows > 1 ? rows / (rows - 1) : 1))]
    : [u32(0), f32(1 - momentum), f32(0), f32(0)];
  dispatchRaw(backend, 'rtkBnStats', STATS, outs, [x, movingMean, movingVariance],
    [u32(rows), u32(cols), f32(1 / rows), ...avg], [cols]);
  return outs;
}

function apply({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x, stats: st, gamma, beta } = inputs;
  const { cols, n } = geometry(BN_KERNELS.apply, x, ['stats', st, 2], ['gamma', gamma, 1], ['beta', beta, 1]);
  const out = webgpuInternals(backend).makeTensorInfo(x.shape, 'float32');
  dispatchRaw(backend, 'rtkBnApply', APPLY, [out], [x, st, gamma, beta],
    [u32(n), u32(cols), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0)], [groups1d(n, EW)]);
  return out;
}

function gradStats({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { dy, y, x, stats: st, gamma } = inputs;
  const { rows, cols } = geometry(BN_KERNELS.gradStats, x, ['stats', st, 2], ['gamma', gamma, 1]);
  bnSameSize(BN_KERNELS.gradStats, rows * cols, ['dy', dy], ['y', y]);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([4, cols], 'float32')];
  dispatchRaw(backend, 'rtkBnGradStats', GRAD_STATS, outs, [dy, y, x, st, gamma],
    [u32(rows), u32(cols), f32(1 / rows), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0)], [cols]);
  return outs;
}

function gradInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, y, x, coef } = inputs;
  const { cols, n } = geometry(BN_KERNELS.gradInput, x, ['coef', coef, 4]);
  bnSameSize(BN_KERNELS.gradInput, n, ['dy', dy], ['y', y]);
  const out = webgpuInternals(backend).makeTensorInfo(x.shape, 'float32');
  dispatchRaw(backend, 'rtkBnGradInput', GRAD_INPUT, [out], [dy, y, x, coef],
    [u32(n), u32(cols), u32(attrs!.relu ? 1 : 0)], [groups1d(n, EW)]);
  return out;
}

export const webgpuBatchNormConfigs: KernelConfig[] = webgpuConfigs(
  [BN_KERNELS.stats, stats],
  [BN_KERNELS.apply, apply],
  [BN_KERNELS.gradStats, gradStats],
  [BN_KERNELS.gradInput, gradInput],
);
