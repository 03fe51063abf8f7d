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
