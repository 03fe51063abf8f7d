/**
 * The logit losses as one WebGPU dispatch forward and one backward each (the kernels of
 * fusedLosses.ts, where the maths is); the composed ops (oneHot, logSoftmax, mul, sum, mean,
 * neg and their gradients) issue about 20 per loss.
 *
 * Forward kernels run one workgroup: each thread takes rows b, b + 64, …, and the batch sum is
 * a shared-memory tree. Fine for B·C up to a few hundred thousand, which logits are.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { LOSS_KERNELS } from './fusedLosses';
import { type KernelArgs, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;
const EW = 256;

const TREE = /* wgsl */ `
  part[lid.x] = acc;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { part[lid.x] = part[lid.x] + part[lid.x + k]; }
    workgroupBarrier();
  }`;

/** loss = −Σ_b log softmax(x_b)[y_b] / B; p = softmax(x) (as exp of the log-softmax). */
const CE = /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32 }
@group(0) @binding(0) var<storage, read_write> loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> p: array<f32>;
@group(0) @binding(2) var<storage, read> x: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<i32>;
@group(0) @binding(4) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var acc = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let o = r * u.cols;
    var mx = x[o];
    for (var c = 1u; c < u.cols; c = c + 1u) { mx = max(mx, x[o + c]); }
    var se = 0.0;
    for (var c = 0u; c < u.cols; c = c + 1u) { se = se + exp(x[o + c] - mx); }
    let lse = log(se);
    for (var c = 0u; c < u.cols; c = c + 1u) { p[o + c] = exp(x[o + c] - mx - lse); }
    let y = labels[r];
    if (y >= 0 && u32(y) < u.cols) { acc = acc + (x[o + u32(y)] - mx - lse); }
  }${TREE}
  if (lid.x == 0u) { loss[0] = -(part[0] * u.invRows); }
}`;

/** dx = dy·(p − [c = y_b]·1)/B, zero for a row whose label is out of range (oneHot gives zeros). */
const CE_GRAD = /* wgsl */ `
struct U { n: u32, cols: u32, invRows: f32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> p: array<f32>;
@group(0) @binding(3) var<storage, read> labels: array<i32>;
@group(0) @binding(4) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * ${EW}u;
  for (var i = gid.x; i < u.n; i = i + stride) {
    let y = labels[i / u.cols];
    var g = 0.0;
    if (y >= 0 && u32(y) < u.cols) {
      g = p[i];
      if (u32(y) == i % u.cols) { g = g - 1.0; }
    }
    dx[i] = dy[0] * g * u.invRows;
  }
}`;

/**
 * loss = scale·Σ_b Σ_c pt·(log pt − log ps) / B with pt = softmax(t/τ), ps = softmax(s/τ);
 * G = ps·Σ_c pt − pt, the direction of its gradient in s (scaled by dy·scale/(B·τ) backward).
 */
const KD = /* wgsl */ `
struct U { rows: u32, cols: u32, invTau: f32, scaleOverRows: f32 }
@group(0) @binding(0) var<storage, read_write> loss: array<f32>;
@group(0) @binding(1) var<storage, read_write> G: array<f32>;
@group(0) @binding(2) var<storage, read> s: array<f32>;
@group(0) @binding(3) var<storage, read> t: array<f32>;
@group(0) @binding(4) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  var acc = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let o = r * u.cols;
    var ms = s[o] * u.invTau;
    var mt = t[o] * u.invTau;
    for (var c = 1u; c < u.cols; c = c + 1u) { ms = max(ms, s[o + c] * u.invTau); mt = max(mt, t[o + c] * u.invTau); }
    var ss = 0.0;
    var st = 0.0;
    for (var c = 0u; c < u.cols; c = c + 1u) { ss = ss + exp(s[o + c] * u.invTau - ms); st = st + exp(t[o + c] * u.invTau - mt); }
    let ls = log(ss);
    let lt = log(st);
    var kl = 0.0;
    var spt = 0.0;
    for (var c = 0u; c < u.cols; c = c + 1u) {
      let lpt = t[o + c] * u.invTau - mt - lt;
      let lps = s[o + c] * u.invTau - ms - ls;
      let pt = exp(lpt);
      kl = kl + pt * (lpt - lps);
      spt = spt + pt;
    }
    for (var c = 0u; c < u.cols; c = c + 1u) {
      let pt = exp(t[o + c] * u.invTau - mt - lt);
      let ps = exp(s[o + c] * u.invTau - ms - ls);
      G[o + c] = ps * spt - pt;
    }
    acc = acc + kl;
  }${TREE}
  if (lid.x == 0u) { loss[0] = part[0] * u.scaleOverRows; }
}`;

const SCALE = /* wgsl */ `
struct U { n: u32, k: f32 }
@group(0) @binding(0) var<storage, read_write> dx: array<f32>;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> G: array<f32>;
@group(0) @binding(3) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * ${EW}u;
  for (var i = gid.x; i < u.n; i = i + stride) { dx[i] = dy[0] * u.k * G[i]; }
}`;

/** v[b,·] = e / √(Σ_p e² + ε), e[b,p] = Σ_c f[b,p,c]² / C: one workgroup per sample. */
const ENERGY = /* wgsl */ `
struct U { pixels: u32, chans: u32, invChans: f32, eps: f32 }
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@group(0) @binding(1) var<storage, read> f: array<f32>;
@group(0) @binding(2) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;
var<workgroup> norm: f32;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let o = wid.x * u.pixels;
  var acc = 0.0;
  for (var p = lid.x; p < u.pixels; p = p + ${WG}u) {
    let base = (o + p) * u.chans;
    var e = 0.0;
    for (var c = 0u; c < u.chans; c = c + 1u) { let x = f[base + c]; e = e + x * x; }
    e = e * u.invChans;
    v[o + p] = e;
    acc = acc + e * e;
  }${TREE}
  if (lid.x == 0u) { norm = sqrt(part[0] + u.eps); }
  workgroupBarrier();
  let n = norm;
  for (var p = lid.x; p < u.pixels; p = p + ${WG}u) { v[o + p] = v[o + p] / n; }
}`;

function logits2d(name: string, x: TensorInfo, what = 'logits'): [number, number] {
  if (x.dtype !== 'float32' || x.shape.length !== 2 || x.shape[0] === 0 || x.shape[1] === 0) {
    throw new Error(`${name}: ${what} must be a non-empty float32 [B, classes] tensor, got ${x.dtype} [${x.shape}]`);
  }
  return [x.shape[0], x.shape[1]];
}

function checkLabels(name: string, labels: TensorInfo, rows: number): void {
  if (labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== rows) {
    throw new Error(`${name}: labels must be int32 [${rows}], got ${labels.dtype} [${labels.shape}]`);
  }
}

function ce({ inputs, backend }: KernelArgs): TensorInfo[] {
  const { logits, labels } = inputs;
  const [rows, cols] = logits2d(LOSS_KERNELS.ce, logits);
  checkLabels(LOSS_KERNELS.ce, labels, rows);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([], 'float32'), be.makeTensorInfo([rows, cols], 'float32')];
  dispatchRaw(backend, 'rtkCe', CE, outs, [logits, labels], [u32(rows), u32(cols), f32(1 / rows)], [1]);
  return outs;
}

function ceGrad({ inputs, backend }: KernelArgs): TensorInfo {
  const { dy, probs, labels } = inputs;
  const [rows, cols] = logits2d(LOSS_KERNELS.ceGrad, probs, 'probs');
  checkLabels(LOSS_KERNELS.ceGrad, labels, rows);
  const out = webgpuInternals(backend).makeTensorInfo([rows, cols], 'float32');
  dispatchRaw(backend, 'rtkCeGrad', CE_GRAD, [out], [dy, probs, labels], [u32(rows * cols), u32(cols), f32(1 / rows)], [groups1d(rows * cols, EW)]);
  return out;
}

function kd({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { student, teacher } = inputs;
  const [rows, cols] = logits2d(LOSS_KERNELS.kd, student, 'student logits');
  const [tr, tc] = logits2d(LOSS_KERNELS.kd, teacher, 'teacher logits');
  if (tr !== rows || tc !== cols) throw new Error(`${LOSS_KERNELS.kd}: teacher logits [${teacher.shape}] do not match the student's [${student.shape}]`);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([], 'float32'), be.makeTensorInfo([rows, cols], 'float32')];
  const tau = attrs!.tau as number;
  dispatchRaw(backend, 'rtkKd', KD, outs, [student, teacher],
    [u32(rows), u32(cols), f32(1 / tau), f32((attrs!.scale as number) / rows)], [1]);
  return outs;
}

function scaleGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { dy, G } = inputs;
  const n = G.shape.reduce((a, b) => a * b, 1);
  const out = webgpuInternals(backend).makeTensorInfo(G.shape, 'float32');
  dispatchRaw(backend, 'rtkScaleGrad', SCALE, [out], [dy, G], [u32(n), f32(attrs!.k as number)], [groups1d(n, EW)]);
  return out;
}

function energy({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const { x } = inputs;
  if (x.dtype !== 'float32' || x.shape.length !== 4 || x.shape.some((d) => d === 0)) {
    throw new Error(`${LOSS_KERNELS.energy}: x must be a non-empty float32 [B,H,W,C] tensor, got ${x.dtype} [${x.shape}]`);
  }
  const [b, h, w, c] = x.shape;
  if (b > 65535) throw new Error(`${LOSS_KERNELS.energy}: batch ${b} is over 65535 (one workgroup per sample)`);
  const out = webgpuInternals(backend).makeTensorInfo([b, h * w], 'float32');
  dispatchRaw(backend, 'rtkEnergy', ENERGY, [out], [x], [u32(h * w), u32(c), f32(1 / c), f32(attrs!.epsilon as number)], [b]);
  return out;
}

export const webgpuLossConfigs: KernelConfig[] = webgpuConfigs(
  [LOSS_KERNELS.ce, ce],
  [LOSS_KERNELS.ceGrad, ceGrad],
  [LOSS_KERNELS.kd, kd],
  [LOSS_KERNELS.scaleGrad, scaleGrad],
  [LOSS_KERNELS.energy, energy],
);
