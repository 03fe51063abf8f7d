/**
 * Faster wasm versions of the elementwise kernels that dominate a batch-norm training step
 * once the conv gradients are fast. The stock wasm kernels handle these patterns with
 * generic (non-SIMD, index-computing) loops that are 4–100× slower than a plain pass:
 *
 *  - Tile (used by the FusedBatchNorm gradient to broadcast [1,1,1,C] to the full activation):
 *    block copies with copyWithin.
 *  - Multiply / Add / Sub / RealDiv of a float32 tensor [..., C] with a per-channel [C]
 *    (or [1, …, 1, C]) tensor: y = x·a[c] + b[c] as an XNNPACK 1×1 (fused) depthwise conv.
 *  - Sum / Mean over all axes but the last (per-channel reductions): a global XNNPACK
 *    average pool (×P for Sum).
 *  - FusedBatchNorm with per-channel statistics: y = x·a[c] + b[c], the same depthwise conv.
 *  - Identity, and Cast to the same dtype: share the data (refcount) instead of copying it.
 *  - BatchMatMul with transposeA or transposeB (every matMul gradient): the stock kernel takes
 *    XNNPACK's path only without transposes and otherwise runs a scalar loop (~9× slower for
 *    [384,64]ᵀ·[384,384]); the operand is transposed first (XNNPACK transpose), then the fast
 *    path multiplies.
 * (Plain JS loops are no faster than the stock kernels here; the XNNPACK routes are 4–10×.)
 *
 * Every override falls back to the stock kernel for any other case. The stock kernel's
 * setupFunc is kept, so these may be registered before or after the backend is initialised.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** The stock wasm kernel functions, captured before they are wrapped. */
const stockFns = new Map<string, KernelFunc>();

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

type Fast = (args: KernelArgs) => TensorInfo | null;

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Number of channels if `small` is [C] or [1, …, 1, C] broadcast over the last axis of `big`. */
function channelBroadcast(big: TensorInfo, small: TensorInfo): number {
  const C = big.shape[big.shape.length - 1];
  if (big.shape.length < 2 || small.shape.length > big.shape.length) return 0;
  if (small.shape.length === 0 || small.shape[small.shape.length - 1] !== C || size(small.shape) !== C) return 0;
  if (size(big.shape) === C) return 0;
  return C;
}

type BinOp = 0 | 1 | 2 | 3; // mul, add, sub, div

/** Runs one of the wasm backend's own kernels (the stock one: `stockFns` holds them). */
function runStock(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: unknown): TensorInfo {
  const f = stockFns.get(name);
  if (f == null) throw new Error(`wasm kernel ${name} is not registered`);
  return f({ inputs, attrs, backend: backend as never }) as TensorInfo;
}

const DW_ATTRS: NamedAttrMap = { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', activation: 'linear' };

/** y = x·a[c] + b[c] (b optional) over the last axis, as an XNNPACK 1×1 depthwise conv. */
function channelAffine(be: WasmBackendLike, backend: unknown, x: TensorInfo, a: Float32Array, b: Float32Array | null): TensorInfo {
  const C = a.length;
  const P = size(x.shape) / C;
  const f = be.makeOutput([1, 1, C, 1], 'float32');
  const bias = b != null ? be.makeOutput([C], 'float32') : null;
  be.typedArrayFromHeap(f).set(a);
  if (bias != null && b != null) be.typedArrayFromHeap(bias).set(b);
  const xv: TensorInfo = { dataId: x.dataId, shape: [1, 1, P, C], dtype: 'float32' };
  const y = bias != null
    ? runStock('FusedDepthwiseConv2D', { x: xv, filter: f, bias }, DW_ATTRS, backend)
    : runStock('DepthwiseConv2dNative', { x: xv, filter: f }, DW_ATTRS, backend);
  be.disposeData(f.dataId);
  if (bias != null) be.disposeData(bias.dataId);
  return { dataId: y.dataId, shape: x.shape.slice(), dtype: 'float32' };
}

function binaryFast(op: BinOp): Fast {
  return ({ inputs, backend }) => {
    const { a, b } = inputs;
    if (a == null || b == null) return null;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
    let big = a;
    let small = b;
    let smallFirst = false;
    let C = channelBroadcast(a, b);
    if (C === 0) {
      C = channelBroadcast(b, a);
      if (C === 0) return null;
      big = b;
      small = a;
      smallFirst = true;
    }
    if (smallFirst && op === 3) return null; // v / x: not an affine map of x
    const be = backend as WasmBackendLike;
    const v = be.typedArrayFromHeap(small).slice();
    const ones = new Float32Array(C).fill(1);
    switch (op) {
      case 0: return channelAffine(be, backend, big, v, null);
      case 1: return channelAffine(be, backend, big, ones, v);
      case 2: return smallFirst
        ? channelAffine(be, backend, big, ones.fill(-1), v)
        : channelAffine(be, backend, big, ones, v.map((t) => -t));
      default: return channelAffine(be, backend, big, v.map((t) => 1 / t), null);
    }
  };
}

function reduceFast(mean: boolean): Fast {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x;
    const r = x.shape.length;
    if (x.dtype !== 'float32' || r < 2) return null;
    const raw = (attrs?.axis ?? null) as number | number[] | null;
    if (raw == null) return null;
    const axes = (Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + r : a)).sort((p, q) => p - q);
    if (axes.length !== r - 1 || axes.some((a, i) => a !== i)) return null;
    const C = x.shape[r - 1];
    const P = size(x.shape) / C;
    const be = backend as WasmBackendLike;
    // A global XNNPACK average pool over x viewed as [1, P, 1, C] (a BatchMatMul would
    // repack the fresh x as weights on every call, which costs more than the sum).
    const xv: TensorInfo = { dataId: x.dataId, shape: [1, P, 1, C], dtype: 'float32' };
    const out = runStock('AvgPool', { x: xv }, { filterSize: [P, 1], strides: [1, 1], pad: 'valid' }, backend);
    if (!mean) {
      const o = be.typedArrayFromHeap({ dataId: out.dataId, shape: [C], dtype: 'float32' });
      for (let c = 0; c < C; c++) o[c] *= P;
    }
    const keepDims = attrs?.keepDims === true;
    return { dataId: out.dataId, shape: keepDims ? [...new Array<number>(r - 1).fill(1), C] : [C], dtype: 'float32' };
  };
}

const tileFast: Fast = ({ inputs, backend, attrs }) => {
  const x = inputs.x;
  const reps = attrs?.reps as number[] | undefined;
  if (x.dtype !== 'float32' || reps == null || reps.length !== x.shape.length || x.shape.length === 0) return null;
  const be = backend as WasmBackendLike;
  const r = x.shape.length;
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = be.makeOutput(outShape, 'float32');
  const o = be.typedArrayFromHeap(out);
  const xv = be.typedArrayFromHeap(x);
  const xStr = new Array<number>(r);
  const oStr = new Array<number>(r);
  xStr[r - 1] = 1;
  oStr[r - 1] = 1;
  for (let i = r - 2; i >= 0; i--) {
    xStr[i] = xStr[i + 1] * x.shape[i + 1];
    oStr[i] = oStr[i + 1] * outShape[i + 1];
  }
  // Lays out one copy of x's sub-block at `axis`, then repeats it reps[axis] times.
  const fill = (axis: number, oOff: number, xOff: number): void => {
    const d = x.shape[axis];
    if (axis === r - 1) {
      o.set(xv.subarray(xOff, xOff + d), oOff);
    } else {
      for (let i = 0; i < d; i++) fill(axis + 1, oOff + i * oStr[axis], xOff + i * xStr[axis]);
    }
    const block = d * oStr[axis];
    let have = 1;
    const want = reps[axis];
    while (have < want) {
      const n = Math.min(have, want - have);
      o.copyWithin(oOff + have * block, oOff, oOff + n * block);
      have += n;
    }
  };
  fill(0, 0, 0);
  return out;
};

const batchNormFast: Fast = ({ inputs, backend, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs;
  if (x.dtype !== 'float32' || x.shape.length < 2) return null;
  const C = x.shape[x.shape.length - 1];
  for (const t of [mean, variance, offset, scale]) {
    if (t != null && (t.dtype !== 'float32' || size(t.shape) !== C || t.shape[t.shape.length - 1] !== C)) return null;
  }
  const be = backend as WasmBackendLike;
  const eps = (attrs?.varianceEpsilon as number | undefined) ?? 0.001;
  const m = be.typedArrayFromHeap(mean);
  const v = be.typedArrayFromHeap(variance);
  const off = offset != null ? be.typedArrayFromHeap(offset) : null;
  const sc = scale != null ? be.typedArrayFromHeap(scale) : null;
  const A = new Float32Array(C);
  const B = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    A[c] = (sc != null ? sc[c] : 1) / Math.sqrt(v[c] + eps);
    B[c] = (off != null ? off[c] : 0) - m[c] * A[c];
  }
  return channelAffine(be, backend, x, A, B);
};

/** Identity (and a Cast to the same dtype) share the data, as on the cpu and webgl backends. */
const shareFast: Fast = ({ inputs, backend, attrs }) => {
  const x = inputs.x;
  if (x == null || x.dtype === 'string') return null;
  if (attrs?.dtype != null && attrs.dtype !== x.dtype) return null;
  (backend as WasmBackendLike).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
};

/** Swaps the last two axes of x with the stock (XNNPACK) Transpose kernel. */
function transposeLast(x: TensorInfo, backend: unknown): TensorInfo {
  const r = x.shape.length;
  const perm = x.shape.map((_, i) => i);
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return runStock('Transpose', { x }, { perm }, backend);
}

const batchMatMulFast: Fast = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs;
  const ta = attrs?.transposeA === true;
  const tb = attrs?.transposeB === true;
  if ((!ta && !tb) || a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const be = backend as WasmBackendLike;
  const a2 = ta ? transposeLast(a, backend) : a;
  const b2 = tb ? transposeLast(b, backend) : b;
  const out = runStock('BatchMatMul', { a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false }, backend);
  if (ta) be.disposeData(a2.dataId);
  if (tb) be.disposeData(b2.dataId);
  return out;
};

const FAST: [string, Fast][] = [
  ['BatchMatMul', batchMatMulFast],
  ['Identity', shareFast],
  ['Cast', shareFast],
  ['Tile', tileFast],
  ['Multiply', binaryFast(0)],
  ['Add', binaryFast(1)],
  ['Sub', binaryFast(2)],
  ['RealDiv', binaryFast(3)],
  ['Sum', reduceFast(false)],
  ['Mean', reduceFast(true)],
  ['FusedBatchNorm', batchNormFast],
];

/** Names of the stock wasm kernels that get a fast path. */
export const WASM_FAST_OPS: readonly string[] = FAST.map(([n]) => n);

/** Wraps each stock wasm kernel with its fast path (stock kernel as fallback). Call once. */
export function registerWasmFastOps(): void {
  for (const name of ['AvgPool', 'BatchMatMul', 'DepthwiseConv2dNative', 'FusedDepthwiseConv2D', 'Transpose']) {
    const k = tf.getKernel(name, 'wasm');
    if (k != null) stockFns.set(name, k.kernelFunc);
  }
  for (const [name, fast] of FAST) {
    const stock = tf.getKernel(name, 'wasm');
    if (stock == null) continue;
    const stockFn = stock.kernelFunc;
    const kernelFunc = ((args: KernelArgs) => fast(args) ?? stockFn(args as never)) as unknown as KernelFunc;
    const cfg: KernelConfig = { kernelName: name, backendName: 'wasm', kernelFunc, setupFunc: stock.setupFunc };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(cfg);
  }
}
