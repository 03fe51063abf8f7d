/**
 * Training-mode batch norm (+ ReLU) of a [rows, C] matrix as one dispatch forward and one
 * backward, and the same with the Linear before it (the attention module's Linear + BN: rows = B
 * or B·S, h = x·W): one workgroup per channel computes (its column of h and) μ and σ² (the same
 * two passes and sums as webgpuBatchNorm.ts), then writes its column of y (or dx; or dh and
 * then its column of dW = xᵀ·dh) itself; the backward pass recomputes h, μ and σ² in the same
 * order, so they are the forward values bit for bit. The maths is fusedBatchNorm.ts's. Conv
 * activations (rank 4, rows = N·H·W) keep the four-kernel route, which spreads the elementwise
 * work over the whole device.
 */
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { BN_KERNELS, LINEAR_BN_KERNELS } from './fusedBatchNorm';
import { geometry } from './webgpuBatchNorm';
import { type KernelArgs, dispatchRaw, f32, u32, webgpuConfigs, webgpuInternals } from './webgpuRaw';

const WG = 64;

const reduce = (p: string) => /* wgsl */ `
  workgroupBarrier();
  for (var k = ${WG / 2}u; k > 0u; k = k >> 1u) {
    if (lid.x < k) { ${p} }
    workgroupBarrier();
  }`;

/**
 * Linear + BN (`linear`): column c of h = x·W is computed in the first pass into `scratch` (y
 * forward, dh backward), which the later passes read; each thread reads back only the rows it
 * wrote. Otherwise h is x itself.
 */
interface Variant { linear: boolean }
const hOf = ({ linear }: Variant, scratch: string) => (linear ? scratch : 'x');

/** μ and σ² of column c of h into m and v (every thread), as STATS in webgpuBatchNorm.ts. */
const moments = (vt: Variant, scratch: string) => /* wgsl */ `
  var s = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {${vt.linear ? `
    var hv = 0.0;
    for (var k = 0u; k < u.inDim; k = k + 1u) { hv = hv + x[r * u.xStride + u.xOff + k] * W[k * u.cols + c]; }
    ${scratch}[r * u.cols + c] = hv;
    s = s + hv;` : `
    s = s + x[r * u.cols + c];`}
  }
  p1[lid.x] = s;${reduce('p1[lid.x] = p1[lid.x] + p1[lid.x + k];')}
  let m = p1[0] * u.invRows;
  var q = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) { let d = ${hOf(vt, scratch)}[r * u.cols + c] - m; q = q + d * d; }
  workgroupBarrier();
  p1[lid.x] = q;${reduce('p1[lid.x] = p1[lid.x] + p1[lid.x + k];')}
  let v = p1[0] * u.invRows;`;

/** Bindings from 0: outputs, then inputs (x and, for Linear + BN, W after it). */
const bindings = (outs: string[], ins: string[]) => [...outs.map((n) => [n, 'read_write']), ...ins.map((n) => [n, 'read'])]
  .map(([n, a], i) => `@group(0) @binding(${i}) var<storage, ${a}> ${n}: array<f32>;`).join('\n')
  + `\n@group(0) @binding(${outs.length + ins.length}) var<uniform> u: U;`;
const xw = ({ linear }: Variant) => (linear ? ['x', 'W'] : ['x']);

const trainWgsl = (vt: Variant) => /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, eps: f32, relu: u32, style: u32, a: f32, b: f32, c: f32, inDim: u32, xStride: u32, xOff: u32 }
${bindings(['y', 'mm2', 'mv2'], [...xw(vt), 'mm', 'mv', 'gamma', 'beta'])}
var<workgroup> p1: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;${moments(vt, 'y')}
  let inv = gamma[c] * inverseSqrt(v + u.eps);
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var o = dot(vec3<f32>(${hOf(vt, 'y')}[i], -m, beta[c]), vec3<f32>(inv, inv, 1.0));
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

/** dx (BN) or dh and then dW = xᵀ·dh (Linear + BN: column c of dW from column c of dh). */
const gradWgsl = (vt: Variant) => {
  const out = vt.linear ? 'dh' : 'dx';
  return /* wgsl */ `
struct U { rows: u32, cols: u32, invRows: f32, eps: f32, relu: u32, inDim: u32, xStride: u32, xOff: u32 }
${bindings(vt.linear ? ['dh', 'dW', 'dgamma', 'dbeta'] : ['dx', 'dgamma', 'dbeta'], ['dy', 'y', ...xw(vt), 'gamma'])}
var<workgroup> p1: array<f32, ${WG}>;
var<workgroup> p2: array<f32, ${WG}>;
@compute @workgroup_size(${WG})
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let c = wid.x;${moments(vt, out)}
  var s1 = 0.0;
  var s2 = 0.0;
  for (var r = lid.x; r < u.rows; r = r + ${WG}u) {
    let i = r * u.cols + c;
    var g = dy[i];
    if (u.relu == 1u && !(y[i] > 0.0)) { g = 0.0; }
    s1 = s1 + g;
    s2 = s2 + g * (${hOf(vt, out)}[i] - m);
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
    ${out}[i] = a * (g - cb - (${hOf(vt, out)}[i] - m) * cg);
  }${vt.linear ? `
  storageBarrier();
  for (var k = lid.x; k < u.inDim; k = k + ${WG}u) {
    var acc = 0.0;
    for (var r = 0u; r < u.rows; r = r + 1u) { acc = acc + x[r * u.xStride + u.xOff + k] * dh[r * u.cols + c]; }
    dW[k * u.cols + c] = acc;
  }` : ''}
  if (lid.x == 0u) { dbeta[c] = db; dgamma[c] = dg; }
}`;
};

const BN = { linear: false };
const LINEAR = { linear: true };

/**
 * rows × cols of h, and for Linear + BN inDim and where its input sits: columns xOff … xOff +
 * inDim − 1 of x [rows, xStride] (attr xOffset, default 0), W [inDim, cols]; checks shapes.
 */
function dims(name: string, vt: Variant, { inputs, attrs }: KernelArgs, ...perChannel: string[]) {
  const { x, W } = inputs;
  if (!vt.linear) return { ...geometry(name, x, ...perChannel.map((k) => [k, inputs[k], 1] as [string, TensorInfo, number])), inDim: 0, xStride: 0, xOff: 0 };
  const xOff = (attrs?.xOffset as number | undefined) ?? 0;
  if (x.dtype !== 'float32' || W.dtype !== 'float32' || x.shape.length !== 2 || W.shape.length !== 2 || x.shape[1] < xOff + W.shape[0] || x.shape[0] === 0) {
    throw new Error(`${name}: x [rows, ≥ ${xOff} + inDim] and W [inDim, cols] must be non-empty float32 matrices that fit, got x ${x.dtype} [${x.shape}], W ${W.dtype} [${W.shape}]`);
  }
  const cols = W.shape[1];
  const { rows } = geometry(name, { ...x, shape: [x.shape[0], cols] }, ...perChannel.map((k) => [k, inputs[k], 1] as [string, TensorInfo, number]));
  return { rows, cols, inDim: W.shape[0], xStride: x.shape[1], xOff };
}

const trainKernel = (vt: Variant, name: string, key: string) => (args: KernelArgs): TensorInfo[] => {
  const { inputs, backend, attrs } = args;
  const { rows, cols, inDim, xStride, xOff } = dims(name, vt, args, 'movingMean', 'movingVariance', 'gamma', 'beta');
  const be = webgpuInternals(backend);
  const outs = [be.makeTensorInfo([rows, cols], 'float32'), be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32')];
  const momentum = attrs!.momentum as number;
  const avg = attrs!.style === 'torch'
    ? [u32(1), f32(1 - momentum), f32(momentum), f32(momentum * (rows > 1 ? rows / (rows - 1) : 1))]
    : [u32(0), f32(1 - momentum), f32(0), f32(0)];
  const { x, W, movingMean, movingVariance, gamma, beta } = inputs;
  dispatchRaw(backend, key, trainWgsl(vt), outs, [...(vt.linear ? [x, W] : [x]), movingMean, movingVariance, gamma, beta],
    [u32(rows), u32(cols), f32(1 / rows), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0), ...avg, u32(inDim), u32(xStride), u32(xOff)], [cols]);
  return outs;
};

const gradKernel = (vt: Variant, name: string, key: string) => (args: KernelArgs): TensorInfo[] => {
  const { inputs, backend, attrs } = args;
  const { rows, cols, inDim, xStride, xOff } = dims(name, vt, args, 'gamma');
  const be = webgpuInternals(backend);
  const { dy, y, x, W, gamma } = inputs;
  const outs = [be.makeTensorInfo([rows, cols], 'float32'), ...(vt.linear ? [be.makeTensorInfo(W.shape, 'float32')] : []),
    be.makeTensorInfo([cols], 'float32'), be.makeTensorInfo([cols], 'float32')];
  dispatchRaw(backend, key, gradWgsl(vt), outs, [dy, y, ...(vt.linear ? [x, W] : [x]), gamma],
    [u32(rows), u32(cols), f32(1 / rows), f32(attrs!.epsilon as number), u32(attrs!.relu ? 1 : 0), u32(inDim), u32(xStride), u32(xOff)], [cols]);
  return outs;
};

export const webgpuBatchNorm2dConfigs: KernelConfig[] = webgpuConfigs(
  [BN_KERNELS.train2d, trainKernel(BN, BN_KERNELS.train2d, 'rtkBnTrain2d')],
  [BN_KERNELS.grad2d, gradKernel(BN, BN_KERNELS.grad2d, 'rtkBnGrad2d')],
  [LINEAR_BN_KERNELS.train, trainKernel(LINEAR, LINEAR_BN_KERNELS.train, 'rtkLinearBnTrain')],
  [LINEAR_BN_KERNELS.grad, gradKernel(LINEAR, LINEAR_BN_KERNELS.grad, 'rtkLinearBnGrad')],
);
