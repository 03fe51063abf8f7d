/**
 * WebGPU kernels of fusedRtk.ts (the maths is there). Forward: one workgroup; each thread takes
 * samples b (influence of every key, then its kept mask and Σ_n r·Σ_m α·D), a tree sums the
 * loss. Backward: one thread per (b, n, m).
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { RTK_KERNELS, RTK_MAX_TAPS } from './fusedRtk';
import { type KernelArgs, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;
const EW = 256;

const FORWARD = /* wgsl */ `
struct U { B: u32, T: u32, S: u32, k: u32, softmaxRule: u32, fixed: u32, thr: f32, batch: u32, weight: f32, keepAll: u32 }
@group(0) @binding(0) var<storage, read_write> L: array<f32>;
@group(0) @binding(1) var<storage, read_write> mask: array<f32>;
@group(0) @binding(2) var<storage, read_write> infl: array<f32>;
@group(0) @binding(3) var<storage, read> alpha: array<f32>;
@group(0) @binding(4) var<storage, read> dist: array<f32>;
@group(0) @binding(5) var<storage, read> z: array<f32>;
@group(0) @binding(6) var<uniform> u: U;
var<workgroup> part: array<f32, ${WG}>;

/** A_b[m, n]: α, or softmax over the teacher taps of z[b,·,m]. */
fn importance(b: u32, n: u32, m: u32) -> f32 {
  if (u.softmaxRule == 0u) { return alpha[(b * u.T + n) * u.S + m]; }
  var mx = z[b * u.T * u.S + m];
  for (var j = 1u; j < u.T; j = j + 1u) { mx = max(mx, z[(b * u.T + j) * u.S + m]); }
  var s = 0.0;
  for (var j = 0u; j < u.T; j = j + 1u) { s = s + exp(z[(b * u.T + j) * u.S + m] - mx); }
  return exp(z[(b * u.T + n) * u.S + m] - mx) / s;
}

/** Mean of the k largest entries of column n (the taken ones marked in a bit mask). */
fn influence(b: u32, n: u32) -> f32 {
  var taken = 0u;
  var acc = 0.0;
  for (var j = 0u; j < u.k; j = j + 1u) {
    var best = 0.0;
    var at = ${RTK_MAX_TAPS}u;
    for (var m = 0u; m < u.S; m = m + 1u) {
      if (((taken >> m) & 1u) == 0u) {
        let v = importance(b, n, m);
        if (at == ${RTK_MAX_TAPS}u || v > best) { best = v; at = m; }
      }
    }
    taken = taken | (1u << at);
    acc = acc + best;
  }
  return acc / f32(u.k);
}

@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>) {
  for (var b = lid.x; b < u.B; b = b + ${WG}u) {
    for (var n = 0u; n < u.T; n = n + 1u) { infl[b * u.T + n] = influence(b, n); }
  }
  storageBarrier();
  var acc = 0.0;
  for (var b = lid.x; b < u.B; b = b + ${WG}u) {
    var v: array<f32, ${RTK_MAX_TAPS}>;
    var mean = 0.0;
    for (var n = 0u; n < u.T; n = n + 1u) {
      if (u.batch == 1u) {
        var s = 0.0;
        for (var j = 0u; j < u.B; j = j + 1u) { s = s + infl[j * u.T + n]; }
        v[n] = s / f32(u.B);
      } else {
        v[n] = infl[b * u.T + n];
      }
      mean = mean + v[n];
    }
    var tau = u.thr;
    if (u.fixed == 0u) { tau = mean / f32(u.T); }
    var kept = 0u;
    var top = 0u;
    for (var n = 0u; n < u.T; n = n + 1u) {
      if (v[n] > tau) { kept = kept + 1u; }
      if (v[n] > v[top]) { top = n; }
    }
    for (var n = 0u; n < u.T; n = n + 1u) {
      var r = 0.0;
      if (u.keepAll == 1u || v[n] > tau || (kept == 0u && n == top)) { r = 1.0; }
      mask[b * u.T + n] = r;
      if (r == 1.0) {
        for (var m = 0u; m < u.S; m = m + 1u) { let i = (b * u.T + n) * u.S + m; acc = acc + alpha[i] * dist[i]; }
      }
    }
  }
  part[lid.x] = acc;
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { part[lid.x] = part[lid.x] + part[lid.x + k]; }
    workgroupBarrier();
  }
  if (lid.x == 0u) { L[0] = part[0] / f32(u.B) * u.weight; }
}`;

const GRAD = /* wgsl */ `
struct U { n: u32, S: u32, scale: f32 }
@group(0) @binding(0) var<storage, read_write> da: array<f32>;
@group(0) @binding(1) var<storage, read_write> dd: array<f32>;
@group(0) @binding(2) var<storage, read> dy: array<f32>;
@group(0) @binding(3) var<storage, read> mask: array<f32>;
@group(0) @binding(4) var<storage, read> alpha: array<f32>;
@group(0) @binding(5) var<storage, read> dist: array<f32>;
@group(0) @binding(6) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  for (var i = gid.x; i < u.n; i = i + nw.x * ${EW}u) {
    let c = dy[0] * u.scale * mask[i / u.S];
    da[i] = c * dist[i];
    dd[i] = c * alpha[i];
  }
}`;

function shape(name: string, ...ts: TensorInfo[]): [number, number, number] {
  const [B, T, S] = ts[0].shape;
  for (const t of ts) {
    if (t.dtype !== 'float32' || t.shape.length !== 3 || t.shape[0] !== B || t.shape[1] !== T || t.shape[2] !== S || B * T * S === 0) {
      throw new Error(`${name}: alpha, dist and z must be non-empty float32 [B,T,S] tensors of one shape, got ${ts.map((x) => `${x.dtype} [${x.shape}]`).join(', ')}`);
    }
  }
  if (T > RTK_MAX_TAPS || S > RTK_MAX_TAPS) throw new Error(`${name}: ${T} teacher and ${S} student taps, at most ${RTK_MAX_TAPS} each`);
  return [B, T, S];
}

function forward({ inputs: { alpha, dist, z }, backend, attrs }: KernelArgs): TensorInfo[] {
  const [B, T, S] = shape(RTK_KERNELS.forward, alpha, dist, z);
  const a = attrs as unknown as { k: number; rule: string; threshold: 'mean' | number; batch: boolean; weight: number; keepAll: boolean };
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([], 'float32'), be.makeTensorInfo([B, T], 'float32'), be.makeTensorInfo([B, T], 'float32')];
  const fixed = a.threshold !== 'mean';
  dispatchRaw(backend, 'rtkSelectLoss', FORWARD, outs, [alpha, dist, z], [
    u32(B), u32(T), u32(S), u32(a.k), u32(a.rule === 'keys' ? 1 : 0), u32(fixed ? 1 : 0),
    f32(fixed ? (a.threshold as number) : 0), u32(a.batch ? 1 : 0), f32(a.weight), u32(a.keepAll ? 1 : 0)], [1]);
  return outs;
}

function grad({ inputs: { dy, mask, alpha, dist }, backend, attrs }: KernelArgs): TensorInfo[] {
  const [B, T, S] = shape(RTK_KERNELS.grad, alpha, dist);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(alpha.shape, 'float32'), be.makeTensorInfo(dist.shape, 'float32')];
  const n = B * T * S;
  dispatchRaw(backend, 'rtkSelectLossGrad', GRAD, outs, [dy, mask, alpha, dist],
    [u32(n), u32(S), f32((attrs!.weight as number) / B)], [groups1d(n, EW)]);
  return outs;
}

export const webgpuRtkConfigs: KernelConfig[] = webgpuConfigs(
  [RTK_KERNELS.forward, forward],
  [RTK_KERNELS.grad, grad],
);
