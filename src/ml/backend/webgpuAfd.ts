/**
 * WebGPU kernels of fusedAfd.ts (the maths is there): energy maps, L2-normalised rows and the
 * squared distance of rows, forward and backward, one dispatch each. Row reductions run one
 * workgroup per row (strided sums, shared-memory tree); elementwise kernels a grid-stride loop.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { AFD_KERNELS } from './fusedAfd';
import { type KernelArgs, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;
const EW = 256;

const tree = (p: string) => /* wgsl */ `
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { ${p}[lid.x] = ${p}[lid.x] + ${p}[lid.x + k]; }
    workgroupBarrier();
  }`;

const GRID = /* wgsl */ `@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>`;

const ENERGY = /* wgsl */ `
struct U { n: u32, chans: u32, invChans: f32 }
@group(0) @binding(0) var<storage, read_write> e: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(${GRID}) {
  for (var i = gid.x; i < u.n; i = i + nw.x * ${EW}u) {
    var s = 0.0;
    for (var c = 0u; c < u.chans; c = c + 1u) { let v = x[i * u.chans + c]; s = s + v * v; }
    e[i] = s * u.invChans;
  }
}`;

const ENERGY_GRAD = /* wgsl */ `
struct U { n: u32, chans: u32, twoOverChans: f32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> de: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(${GRID}) {
  for (var i = gid.x; i < u.n; i = i + nw.x * ${EW}u) { dx[i] = x[i] * u.twoOverChans * de[i / u.chans]; }
}`;

const L2 = /* wgsl */ `
struct U { cols: u32, eps: f32 }
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@group(0) @binding(1) var<storage, read_write> norms: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let o = wid.x * u.cols;
  var s = 0.0;
  for (var p = lid.x; p < u.cols; p = p + ${WG}u) { let a = x[o + p]; s = s + a * a; }
  part[lid.x] = s;${tree('part')}
  let n = sqrt(part[0] + u.eps);
  for (var p = lid.x; p < u.cols; p = p + ${WG}u) { v[o + p] = x[o + p] / n; }
  if (lid.x == 0u) { norms[wid.x] = n; }
}`;

const L2_GRAD = /* wgsl */ `
struct U { cols: u32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dv: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> norms: array<f32>;
@group(0) @binding(4) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let o = wid.x * u.cols;
  var s = 0.0;
  for (var p = lid.x; p < u.cols; p = p + ${WG}u) { s = s + dv[o + p] * v[o + p]; }
  part[lid.x] = s;${tree('part')}
  let dp = part[0];
  let n = norms[wid.x];
  for (var p = lid.x; p < u.cols; p = p + ${WG}u) { dx[o + p] = (dv[o + p] - v[o + p] * dp) / n; }
}`;

/** One workgroup per (b, m) row of s. */
const DIST = /* wgsl */ `
struct U { S: u32, P: u32, invP: f32 }
@group(0) @binding(0) var<storage, read_write> D: array<f32>;
@group(0) @binding(1) var<storage, read> s: array<f32>;
@group(0) @binding(2) var<storage, read> t: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let row = wid.x;
  let b = row / u.S;
  var acc = 0.0;
  for (var p = lid.x; p < u.P; p = p + ${WG}u) { let d = s[row * u.P + p] - t[b * u.P + p]; acc = acc + d * d; }
  part[lid.x] = acc;${tree('part')}
  if (lid.x == 0u) { D[row] = part[0] * u.invP; }
}`;

/** One thread per (b, p): ds for every m, and dt = −Σ_m ds. */
const DIST_GRAD = /* wgsl */ `
struct U { n: u32, S: u32, P: u32, twoOverP: f32 }
@group(0) @binding(0) var<storage, read_write> ds: array<f32>;
@group(0) @binding(1) var<storage, read_write> dt: array<f32>;
@group(0) @binding(2) var<storage, read> dD: array<f32>;
@group(0) @binding(3) var<storage, read> s: array<f32>;
@group(0) @binding(4) var<storage, read> t: array<f32>;
@group(0) @binding(5) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(${GRID}) {
  for (var i = gid.x; i < u.n; i = i + nw.x * ${EW}u) {
    let b = i / u.P;
    let p = i % u.P;
    let tv = t[i];
    var acc = 0.0;
    for (var m = 0u; m < u.S; m = m + 1u) {
      let j = (b * u.S + m) * u.P + p;
      let g = (s[j] - tv) * u.twoOverP * dD[b * u.S + m];
      ds[j] = g;
      acc = acc + g;
    }
    dt[i] = -acc;
  }
}`;

const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);

function check(name: string, what: string, t: TensorInfo, rank: number): void {
  if (t.dtype !== 'float32' || t.shape.length !== rank || size(t) === 0) {
    throw new Error(`${name}: ${what} must be a non-empty float32 tensor of rank ${rank}, got ${t.dtype} [${t.shape}]`);
  }
}

function rows(name: string, n: number): number {
  if (n > 65535) throw new Error(`${name}: ${n} rows, at most 65535 (one workgroup per row)`);
  return n;
}

function energy({ inputs: { x }, backend }: KernelArgs): TensorInfo {
  check(AFD_KERNELS.energy, 'x', x, 4);
  const [b, h, w, c] = x.shape;
  const out = webgpuInternals(backend).makeTensorInfo([b, h, w], 'float32');
  dispatchRaw(backend, 'rtkEnergyMap', ENERGY, [out], [x], [u32(b * h * w), u32(c), f32(1 / c)], [groups1d(b * h * w, EW)]);
  return out;
}

function energyGrad({ inputs: { de, x }, backend }: KernelArgs): TensorInfo {
  check(AFD_KERNELS.energyGrad, 'x', x, 4);
  const out = webgpuInternals(backend).makeTensorInfo(x.shape, 'float32');
  dispatchRaw(backend, 'rtkEnergyMapGrad', ENERGY_GRAD, [out], [de, x], [u32(size(x)), u32(x.shape[3]), f32(2 / x.shape[3])], [groups1d(size(x), EW)]);
  return out;
}

function l2({ inputs: { x }, backend, attrs }: KernelArgs): TensorInfo[] {
  check(AFD_KERNELS.l2, 'x', x, 2);
  const [b, p] = x.shape;
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([b, p], 'float32'), be.makeTensorInfo([b], 'float32')];
  dispatchRaw(backend, 'rtkL2Rows', L2, outs, [x], [u32(p), f32(attrs!.epsilon as number)], [rows(AFD_KERNELS.l2, b)]);
  return outs;
}

function l2Grad({ inputs: { dv, v, norms }, backend }: KernelArgs): TensorInfo {
  check(AFD_KERNELS.l2Grad, 'v', v, 2);
  const [b, p] = v.shape;
  const out = webgpuInternals(backend).makeTensorInfo([b, p], 'float32');
  dispatchRaw(backend, 'rtkL2RowsGrad', L2_GRAD, [out], [dv, v, norms], [u32(p)], [rows(AFD_KERNELS.l2Grad, b)]);
  return out;
}

function dist({ inputs: { s, t }, backend }: KernelArgs): TensorInfo {
  check(AFD_KERNELS.dist, 's', s, 3);
  check(AFD_KERNELS.dist, 't', t, 2);
  const [b, S, P] = s.shape;
  if (t.shape[0] !== b || t.shape[1] !== P) throw new Error(`${AFD_KERNELS.dist}: t [${t.shape}] does not match s [${s.shape}]`);
  const out = webgpuInternals(backend).makeTensorInfo([b, S], 'float32');
  dispatchRaw(backend, 'rtkSqDistRows', DIST, [out], [s, t], [u32(S), u32(P), f32(1 / P)], [rows(AFD_KERNELS.dist, b * S)]);
  return out;
}

function distGrad({ inputs: { dD, s, t }, backend }: KernelArgs): TensorInfo[] {
  const [b, S, P] = s.shape;
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(s.shape, 'float32'), be.makeTensorInfo(t.shape, 'float32')];
  dispatchRaw(backend, 'rtkSqDistRowsGrad', DIST_GRAD, outs, [dD, s, t], [u32(b * P), u32(S), u32(P), f32(2 / P)], [groups1d(b * P, EW)]);
  return outs;
}

export const webgpuAfdConfigs: KernelConfig[] = webgpuConfigs(
  [AFD_KERNELS.energy, energy],
  [AFD_KERNELS.energyGrad, energyGrad],
  [AFD_KERNELS.l2, l2],
  [AFD_KERNELS.l2Grad, l2Grad],
  [AFD_KERNELS.dist, dist],
  [AFD_KERNELS.distGrad, distGrad],
);
