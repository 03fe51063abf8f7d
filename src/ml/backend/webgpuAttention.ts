/** WebGPU kernels of fusedAttention.ts (the maths is there): the logits z, and α's gradient. */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { ATTENTION_KERNELS } from './fusedAttention';
import { type KernelArgs, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const EW = 256;

/** One thread per (b, n, m). */
const LOGITS = /* wgsl */ `
struct U { B: u32, T: u32, S: u32, d: u32, sqrtD: f32 }
@group(0) @binding(0) var<storage, read_write> z: array<f32>;
@group(0) @binding(1) var<storage, read> Q: array<f32>;
@group(0) @binding(2) var<storage, read> Kb: array<f32>;
@group(0) @binding(3) var<storage, read> pi: array<f32>;
@group(0) @binding(4) var<uniform> u: U;
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let total = u.B * u.T * u.S;
  for (var i = gid.x; i < total; i = i + nw.x * ${EW}u) {
    let m = i % u.S;
    let n = (i / u.S) % u.T;
    let b = i / (u.S * u.T);
    let qo = (b * u.T + n) * u.d;
    let ko = (b * u.S + m) * u.T * u.d + n * u.d;
    var s = 0.0;
    for (var e = 0u; e < u.d; e = e + 1u) { s = s + Kb[ko + e] * Q[qo + e]; }
    z[i] = (s + pi[n * u.S + m]) / u.sqrtD;
  }
}`;

/** Thread roles by index: dQ (B·T·d), then dKb (B·S·T·d), then dΠ (T·S); g recomputed per use. */
const GRAD = /* wgsl */ `
struct U { B: u32, T: u32, S: u32, d: u32, sqrtD: f32 }
@group(0) @binding(0) var<storage, read_write> dQ: array<f32>;
@group(0) @binding(1) var<storage, read_write> dKb: array<f32>;
@group(0) @binding(2) var<storage, read_write> dpi: array<f32>;
@group(0) @binding(3) var<storage, read> da: array<f32>;
@group(0) @binding(4) var<storage, read> a: array<f32>;
@group(0) @binding(5) var<storage, read> Q: array<f32>;
@group(0) @binding(6) var<storage, read> Kb: array<f32>;
@group(0) @binding(7) var<uniform> u: U;
fn g(b: u32, n: u32, m: u32) -> f32 {
  let row = (b * u.T + n) * u.S;
  var sd = 0.0;
  for (var k = 0u; k < u.S; k = k + 1u) { sd = sd + a[row + k] * da[row + k]; }
  return a[row + m] * (da[row + m] - sd) / u.sqrtD;
}
@compute @workgroup_size(${EW})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let nQ = u.B * u.T * u.d;
  let nK = u.B * u.S * u.T * u.d;
  let total = nQ + nK + u.T * u.S;
  for (var i = gid.x; i < total; i = i + nw.x * ${EW}u) {
    if (i < nQ) {
      let e = i % u.d;
      let n = (i / u.d) % u.T;
      let b = i / (u.d * u.T);
      var s = 0.0;
      for (var m = 0u; m < u.S; m = m + 1u) { s = s + g(b, n, m) * Kb[(b * u.S + m) * u.T * u.d + n * u.d + e]; }
      dQ[i] = s;
    } else if (i < nQ + nK) {
      let j = i - nQ;
      let e = j % u.d;
      let n = (j / u.d) % u.T;
      let m = (j / (u.d * u.T)) % u.S;
      let b = j / (u.d * u.T * u.S);
      dKb[j] = g(b, n, m) * Q[(b * u.T + n) * u.d + e];
    } else {
      let j = i - nQ - nK;
      let m = j % u.S;
      let n = j / u.S;
      var s = 0.0;
      for (var b = 0u; b < u.B; b = b + 1u) { s = s + g(b, n, m); }
      dpi[j] = s;
    }
  }
}`;

function dims(name: string, Q: TensorInfo, Kb: TensorInfo, T: number, S: number): [number, number] {
  const [B, t, d] = Q.shape;
  if (Q.dtype !== 'float32' || Q.shape.length !== 3 || t !== T || Kb.dtype !== 'float32' || Kb.shape.length !== 2
    || Kb.shape[0] !== B * S || Kb.shape[1] !== T * d || B * T * S === 0) {
    throw new Error(`${name}: Q [${Q.shape}] and Kb [${Kb.shape}] do not fit T = ${T}, S = ${S} (Q [B,T,d], Kb [B·S, T·d], float32)`);
  }
  return [B, d];
}

function logits({ inputs: { Q, Kb, pi }, backend, attrs }: KernelArgs): TensorInfo {
  const [T, S] = pi.shape;
  const [B, d] = dims(ATTENTION_KERNELS.logits, Q, Kb, T, S);
  const out = webgpuInternals(backend).makeTensorInfo([B, T, S], 'float32');
  dispatchRaw(backend, 'rtkAttnLogits', LOGITS, [out], [Q, Kb, pi], [u32(B), u32(T), u32(S), u32(d), f32(attrs!.sqrtD as number)], [groups1d(B * T * S, EW)]);
  return out;
}

function grad({ inputs: { dAlpha, alpha, Q, Kb }, backend, attrs }: KernelArgs): TensorInfo[] {
  const T = attrs!.T as number;
  const S = attrs!.S as number;
  const [B, d] = dims(ATTENTION_KERNELS.grad, Q, Kb, T, S);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(Q.shape, 'float32'), be.makeTensorInfo(Kb.shape, 'float32'), be.makeTensorInfo([T, S], 'float32')];
  const total = B * T * d + B * S * T * d + T * S;
  dispatchRaw(backend, 'rtkAttnGrad', GRAD, outs, [dAlpha, alpha, Q, Kb], [u32(B), u32(T), u32(S), u32(d), f32(attrs!.sqrtD as number)], [groups1d(total, EW)]);
  return outs;
}

export const webgpuAttentionConfigs: KernelConfig[] = webgpuConfigs(
  [ATTENTION_KERNELS.logits, logits],
  [ATTENTION_KERNELS.grad, grad],
);
