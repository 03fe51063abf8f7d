/**
 * WebGPU kernels of fusedAfdDistance.ts (the maths and the `meta` layout are there; the WGSL is in
 * webgpuAfdDistanceWgsl.ts): teacher
 * values, student energies, resize + L2 + D, and the three gradient kernels. Kernels that read
 * every tap bind one buffer per tap (generated WGSL per tap count); row reductions run one
 * workgroup per row (strided sums, shared-memory tree), elementwise ones a grid-stride loop.
 */
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { AFD_DISTANCE_KERNELS } from './fusedAfdDistance';
import { DIST, DIST_GRAD, EW, RESIZE_GRAD, energyGradWgsl, energyWgsl, teacherWgsl } from './webgpuAfdDistanceWgsl';
import { type KernelArgs, type Uniform, dispatchRaw, f32, groups1d, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';


const size = (t: TensorInfo) => t.shape.reduce((a, b) => a * b, 1);
const taps = (inputs: Record<string, TensorInfo>, prefix: string, count: number) =>
  Array.from({ length: count }, (_, k) => inputs[`${prefix}${k}`]);

function sizes(name: string, attrs: NamedAttrMap | undefined, B: number) {
  const a = attrs as unknown as { S: number; T: number; R: number; PE: number; PR: number; PT: number; PC: number; epsilon: number };
  if (!(B >= 1)) throw new Error(`${name}: empty batch`);
  return { ...a, uniforms: (n = 0): Uniform[] => [...[B, a.S, a.T, a.R, a.PE, a.PR, a.PT].map(u32), f32(a.epsilon), u32(n), u32(a.PC)] };
}

function checkTaps(name: string, xs: TensorInfo[]): number {
  for (const x of xs) {
    if (x == null || x.dtype !== 'float32' || x.shape.length !== 4 || x.shape[0] !== xs[0].shape[0]) {
      throw new Error(`${name}: every tap must be a float32 [B,H,W,C] tensor with the same B, got ${x ? `${x.dtype} [${x.shape}]` : 'none'}`);
    }
  }
  return xs[0].shape[0];
}

function teacher({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const { T, pooled } = attrs as { T: number; pooled?: boolean };
  const ts = taps(inputs, 't', T);
  const B = checkTaps(AFD_DISTANCE_KERNELS.teacher, ts);
  const g = sizes(AFD_DISTANCE_KERNELS.teacher, attrs, B);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([B, g.PT], 'float32'), ...(pooled ? [be.makeTensorInfo([B, g.PC], 'float32')] : [])];
  dispatchRaw(backend, `rtkAfdTeacher${T}${pooled ? 'p' : ''}`, teacherWgsl(T, !!pooled), outs, [...ts, inputs.meta], g.uniforms(), [B * T]);
  return outs;
}

function energy({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const S = (attrs as { S: number }).S;
  const xs = taps(inputs, 'x', S);
  const B = checkTaps(AFD_DISTANCE_KERNELS.energy, xs);
  const g = sizes(AFD_DISTANCE_KERNELS.energy, attrs, B);
  const out = webgpuInternals(backend).makeTensorInfo([B, g.PE], 'float32');
  dispatchRaw(backend, `rtkAfdEnergy${S}`, energyWgsl(S), [out], [...xs, inputs.meta], g.uniforms(), [groups1d(B * g.PE, EW)]);
  return out;
}

function dist({ inputs: { E, meta, weights, Vt }, backend, attrs }: KernelArgs): TensorInfo[] {
  const B = E.shape[0];
  const g = sizes(AFD_DISTANCE_KERNELS.dist, attrs, B);
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([B, g.S, g.PR], 'float32'), be.makeTensorInfo([B, g.S, g.R], 'float32'), be.makeTensorInfo([B, g.T, g.S], 'float32')];
  dispatchRaw(backend, 'rtkAfdDist', DIST, outs, [E, meta, weights, Vt], g.uniforms(), [B * g.S * g.R]);
  return outs;
}

function distGrad({ inputs: { dD, Vs, Vt, norms, meta }, backend, attrs }: KernelArgs): TensorInfo {
  const B = Vs.shape[0];
  const g = sizes(AFD_DISTANCE_KERNELS.distGrad, attrs, B);
  const out = webgpuInternals(backend).makeTensorInfo(Vs.shape, 'float32');
  dispatchRaw(backend, 'rtkAfdDistGrad', DIST_GRAD, [out], [dD, Vs, Vt, norms, meta], g.uniforms(), [B * g.S * g.R]);
  return out;
}

function resizeGrad({ inputs: { dR, meta, weights }, backend, attrs }: KernelArgs): TensorInfo {
  const B = dR.shape[0];
  const g = sizes(AFD_DISTANCE_KERNELS.resizeGrad, attrs, B);
  const out = webgpuInternals(backend).makeTensorInfo([B, g.PE], 'float32');
  dispatchRaw(backend, 'rtkAfdResizeGrad', RESIZE_GRAD, [out], [dR, meta, weights], g.uniforms(), [groups1d(B * g.PE, EW)]);
  return out;
}

function energyGrad({ inputs, backend, attrs }: KernelArgs): TensorInfo[] {
  const S = (attrs as { S: number }).S;
  const xs = taps(inputs, 'x', S);
  const B = checkTaps(AFD_DISTANCE_KERNELS.energyGrad, xs);
  const g = sizes(AFD_DISTANCE_KERNELS.energyGrad, attrs, B);
  const be = webgpuInternals(backend);
  const outs = xs.map((x) => be.makeTensorInfo(x.shape, 'float32'));
  const n = xs.reduce((a, x) => a + size(x), 0);
  dispatchRaw(backend, `rtkAfdEnergyGrad${S}`, energyGradWgsl(S), outs, [inputs.dE, inputs.meta, ...xs], g.uniforms(n), [groups1d(n, EW)]);
  return outs;
}

export const webgpuAfdDistanceConfigs: KernelConfig[] = webgpuConfigs(
  [AFD_DISTANCE_KERNELS.teacher, teacher],
  [AFD_DISTANCE_KERNELS.energy, energy],
  [AFD_DISTANCE_KERNELS.dist, dist],
  [AFD_DISTANCE_KERNELS.distGrad, distGrad],
  [AFD_DISTANCE_KERNELS.resizeGrad, resizeGrad],
  [AFD_DISTANCE_KERNELS.energyGrad, energyGrad],
);
