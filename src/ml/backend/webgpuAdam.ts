/**
 * The fused Adam update (ADAM_KERNEL, see wasmAdam.ts for the arithmetic) as one WebGPU dispatch
 * per variable: it reads x, g, m, v and writes x', m', v' in one pass, with lr, β1, β2, ε and the
 * bias corrections passed as uniforms, so no JS scalar becomes a tensor (the stock optimiser
 * issues 13 dispatches and uploads 6 scalars per variable).
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { ADAM_KERNEL } from './wasmAdam';
import { dispatchRaw, groups1d, webgpuInternals } from './webgpuRaw';

const WGSL = /* wgsl */ `
struct U { lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32, n: u32 }
@group(0) @binding(0) var<storage, read_write> x2: array<f32>;
@group(0) @binding(1) var<storage, read_write> m2: array<f32>;
@group(0) @binding(2) var<storage, read_write> v2: array<f32>;
@group(0) @binding(3) var<storage, read> x: array<f32>;
@group(0) @binding(4) var<storage, read> g: array<f32>;
@group(0) @binding(5) var<storage, read> m: array<f32>;
@group(0) @binding(6) var<storage, read> v: array<f32>;
@group(0) @binding(7) var<uniform> u: U;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * 64u;
  for (var i = gid.x; i < u.n; i = i + stride) {
    let gi = g[i];
    let mi = u.b1 * m[i] + (1.0 - u.b1) * gi;
    let vi = u.b2 * v[i] + (1.0 - u.b2) * gi * gi;
    m2[i] = mi;
    v2[i] = vi;
    x2[i] = x[i] - u.lr * (mi / u.c1) / (sqrt(vi / u.c2) + u.eps);
  }
}`;

function adamStep({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }): TensorInfo[] {
  const { x, g, m, v } = inputs;
  for (const t of [x, g, m, v]) {
    if (t.dtype !== 'float32') throw new Error(`${ADAM_KERNEL}: float32 tensors only, got ${t.dtype}`);
  }
  const n = x.shape.reduce((a, b) => a * b, 1);
  for (const [name, t] of [['g', g], ['m', m], ['v', v]] as const) {
    const tn = t.shape.reduce((a, b) => a * b, 1);
    if (tn !== n) throw new Error(`${ADAM_KERNEL}: ${name} has ${tn} values, x has ${n}`);
  }
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo(x.shape, 'float32'), be.makeTensorInfo(x.shape, 'float32'), be.makeTensorInfo(x.shape, 'float32')];
  if (n === 0) return outs;
  const a = attrs!;
  const f = (k: string) => ({ type: 'float32' as const, data: [a[k] as number] });
  dispatchRaw(backend, 'rtkAdam', WGSL, outs, [x, g, m, v],
    [f('lr'), f('beta1'), f('beta2'), f('epsilon'), f('c1'), f('c2'), { type: 'uint32', data: [n] }], [groups1d(n)]);
  return outs;
}

export const webgpuAdamConfig: KernelConfig = {
  kernelName: ADAM_KERNEL,
  backendName: 'webgpu',
  kernelFunc: adamStep as unknown as KernelFunc,
};

/** One variable of a grouped in-place update: its value x, gradient g and the two moments. */
export interface AdamSlot { x: TensorInfo; g: TensorInfo; m: TensorInfo; v: TensorInfo }
export interface AdamScalars { lr: number; beta1: number; beta2: number; epsilon: number; c1: number; c2: number }

/** Variables one grouped dispatch updates: 4 storage bindings each (x, m, v read-write; g). */
export function adamGroupSize(backend: unknown): number {
  const limit = (webgpuInternals(backend).device.limits as { maxStorageBuffersPerShaderStage?: number } | undefined)?.maxStorageBuffersPerShaderStage ?? 8;
  return Math.max(1, Math.min(16, Math.floor(limit / 4)));
}

/** WGSL for a group of `k` variables laid end to end in one index space (offsets as uniforms). */
function groupWgsl(k: number): string {
  const b = (j: number, o: number) => 4 * j + o;
  const binds = Array.from({ length: k }, (_, j) => `
@group(0) @binding(${b(j, 0)}) var<storage, read_write> x${j}: array<f32>;
@group(0) @binding(${b(j, 1)}) var<storage, read_write> m${j}: array<f32>;
@group(0) @binding(${b(j, 2)}) var<storage, read_write> v${j}: array<f32>;
@group(0) @binding(${b(j, 3)}) var<storage, read> g${j}: array<f32>;`).join('');
  const ends = Array.from({ length: k }, (_, j) => `e${j}: u32`).join(', ');
  const branch = (j: number) => `{
      let i = t - ${j === 0 ? '0u' : `u.e${j - 1}`};
      let gi = g${j}[i];
      let mi = u.b1 * m${j}[i] + (1.0 - u.b1) * gi;
      let vi = u.b2 * v${j}[i] + (1.0 - u.b2) * gi * gi;
      m${j}[i] = mi;
      v${j}[i] = vi;
      x${j}[i] = x${j}[i] - u.lr * (mi / u.c1) / (sqrt(vi / u.c2) + u.eps);
    }`;
  const chain = Array.from({ length: k }, (_, j) => (j < k - 1 ? `if (t < u.e${j}) ${branch(j)}` : branch(j))).join(' else ');
  return /* wgsl */ `
struct U { lr: f32, b1: f32, b2: f32, eps: f32, c1: f32, c2: f32, ${ends} }
${binds}
@group(0) @binding(${4 * k}) var<uniform> u: U;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nw: vec3<u32>) {
  let stride = nw.x * 64u;
  for (var t = gid.x; t < u.e${k - 1}; t = t + stride) {
    ${chain}
  }
}`;
}

/**
 * Whether x, m and v of a slot may be updated in place: float32, same size as g, and each
 * buffer held by that one tensor (a clone or a reshape shares it; then this would change it too).
 */
export function canUpdateInPlace(backend: unknown, s: AdamSlot): boolean {
  const be = webgpuInternals(backend) as ReturnType<typeof webgpuInternals> & { refCount(id: object): number };
  const n = s.x.shape.reduce((a, b) => a * b, 1);
  return n > 0 && [s.x, s.g, s.m, s.v].every((t) => t.dtype === 'float32' && t.shape.reduce((a, b) => a * b, 1) === n)
    && [s.x, s.m, s.v].every((t) => be.refCount(t.dataId) === 1)
    && new Set([s.x.dataId, s.m.dataId, s.v.dataId, s.g.dataId]).size === 4;
}

/**
 * The Adam update of every slot, in place (x, m, v are overwritten; their tensors keep their
 * ids), `adamGroupSize` variables per dispatch: the arithmetic of the one-variable kernel above.
 * Slots must pass `canUpdateInPlace`.
 */
export function adamInPlace(backend: unknown, slots: AdamSlot[], a: AdamScalars): void {
  const be = webgpuInternals(backend);
  const k = adamGroupSize(backend);
  for (let start = 0; start < slots.length; start += k) {
    const group = slots.slice(start, start + k);
    const ends: number[] = [];
    let total = 0;
    for (const s of group) { total += s.x.shape.reduce((p, q) => p * q, 1); ends.push(total); }
    const outputs = group.flatMap((s) => [s.x, s.m, s.v]);
    // dispatchRaw binds outputs first, then inputs: reorder to x, m, v, g per variable.
    const tensors = group.flatMap((s) => [s.x, s.m, s.v, s.g]);
    dispatchRaw(backend, `rtkAdamGroup${group.length}`, groupWgsl(group.length), tensors, [],
      [...(['lr', 'beta1', 'beta2', 'epsilon', 'c1', 'c2'] as const).map((key) => ({ type: 'float32' as const, data: [a[key]] })),
        ...ends.map((e) => ({ type: 'uint32' as const, data: [e] }))], [groups1d(total)]);
    // The values cached on the CPU by an earlier read are stale now.
    for (const t of outputs) be.tensorMap.get(t.dataId).values = null;
  }
}
