/**
 * Training kernels that TF.js 4.22's wasm backend lacks (or has only as slow scalar loops),
 * built from the backend's own XNNPACK-backed kernels plus tight typed-array loops that work
 * directly on the wasm heap (no copies in or out).
 *
 *  - Conv2DBackpropFilter: "batch as channels": the wasm Conv2D of xᵀ [Ci, H, W, N] with
 *    dyᵀ [Ho, Wo, N, Co] as the filter, dilated by the stride (two wasm Transposes, one
 *    XNNPACK conv, a tiny JS permute). Where the padding would have to be negative: im2colᵀ(x)
 *    [kh·kw·Ci, N·Ho·Wo] (JS gather) · dy [N·Ho·Wo, Co] as one BatchMatMul.
 *  - Conv2DBackpropInput (replaces the stock scalar C++ loop, 10–20× slower): stride 1 as
 *    the wasm Conv2D of dy with the flipped, transposed filter and "full" padding; strided:
 *    one such stride-1 conv per output phase (sub-pixel decomposition), interleaved in JS;
 *    fallback: dy [N·Ho·Wo, Co] · Wᵀ [Co, kh·kw·Ci] as one BatchMatMul, then col2im.
 *  - DepthwiseConv2dNativeBackpropInput: dy zero-interleaved (stride) and padded in JS, then
 *    the wasm DepthwiseConv2dNative with the spatially flipped filter, pad 'valid'
 *    (channel multiplier m > 1: channels C·m with multiplier 1, then summed over m).
 *  - DepthwiseConv2dNativeBackpropFilter: per-tap, per-channel dot products (JS loop,
 *    float64 accumulators).
 *
 * Only NHWC, dilations 1 (what the tfjs-core gradients send). `registerWasmTrainingKernels()`
 * is idempotent and can run before or after the wasm backend is initialised.
 */
import * as tf from '@tensorflow/tfjs';
// Registers the wasm backend and its kernels first, so ours replace the stock ones for good.
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmFastOps, WASM_FAST_OPS } from './wasmFastOps';
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];

/** The parts of tfjs-backend-wasm's BackendWasm that the kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

type PadAttr = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/** Runs one of the wasm backend's own kernels directly (no engine bookkeeping). */
function runWasm(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: unknown): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (k == null) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, attrs, backend: backend as never }) as TensorInfo;
}

/** A view of `t` with another shape (same dataId, no refcount change): input for a kernel. */
function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function checkCommon(name: string, attrs: NamedAttrMap): void {
  const df = attrs.dataFormat as string | undefined;
  if (df != null && df !== 'NHWC') throw new Error(`${name} (wasm training kernels): only NHWC is supported, got ${df}`);
  const d = attrs.dilations as number | number[] | undefined;
  if (d != null && !(typeof d === 'number' ? d === 1 : d.every((v) => v === 1))) {
    throw new Error(`${name} (wasm training kernels): only dilations 1 are supported, got ${String(d)}`);
  }
}

function convInfo(xShape: number[], filterShape: number[], attrs: NamedAttrMap, depthwise: boolean) {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as RoundingMode,
    depthwise,
    'channelsLast',
  );
}

/**
 * Fills colsT [kh·kw·Ci, N·Ho·Wo] with the transposed im2col of x (zeros where the window
 * leaves the image). Row r = (i·kw + j)·Ci + c, column p = (n·Ho + oh)·Wo + ow.
 */
function im2colT(
  x: Float32Array, cols: Float32Array,
  N: number, H: number, W: number, C: number,
  Ho: number, Wo: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
): void {
  const P = N * Ho * Wo;
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const rowBase = (i * kw + j) * C * P;
      if (C === 1) {
        // Single channel: one contiguous destination row per tap.
        let p = rowBase;
        for (let n = 0; n < N; n++) {
          const xn = n * H * W;
          for (let oh = 0; oh < Ho; oh++) {
            const ih = oh * sh - pt + i;
            if (ih < 0 || ih >= H) {
              cols.fill(0, p, p + Wo);
              p += Wo;
              continue;
            }
            const xr = xn + ih * W;
            let iw = j - pl;
            for (let ow = 0; ow < Wo; ow++, iw += sw) cols[p++] = iw >= 0 && iw < W ? x[xr + iw] : 0;
          }
        }
        continue;
      }
      let p = 0;
      for (let n = 0; n < N; n++) {
        const xn = n * H * W * C;
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - pt + i;
          const rowOk = ih >= 0 && ih < H;
          const xr = xn + ih * W * C;
          let iw = j - pl;
          for (let ow = 0; ow < Wo; ow++, iw += sw, p++) {
            let d = rowBase + p;
            if (rowOk && iw >= 0 && iw < W) {
              const xo = xr + iw * C;
              for (let c = 0; c < C; c++, d += P) cols[d] = x[xo + c];
            } else {
              for (let c = 0; c < C; c++, d += P) cols[d] = 0;
            }
          }
        }
      }
    }
  }
}

/** dx[n, ih, iw, c] = Σ cols[p, (i·kw + j)·C + c] over the windows that cover (ih, iw). */
function col2im(
  cols: Float32Array, dx: Float32Array,
  N: number, H: number, W: number, C: number,
  Ho: number, Wo: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number,
): void {
  dx.fill(0);
  const R = kh * kw * C;
  let p = 0;
  for (let n = 0; n < N; n++) {
    const xn = n * H * W * C;
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++, p++) {
        const cb = p * R;
        for (let i = 0; i < kh; i++) {
          const ih = oh * sh - pt + i;
          if (ih < 0 || ih >= H) continue;
          const xr = xn + ih * W * C;
          for (let j = 0; j < kw; j++) {
            const iw = ow * sw - pl + j;
            if (iw < 0 || iw >= W) continue;
            const xo = xr + iw * C;
            const co = cb + (i * kw + j) * C;
            for (let c = 0; c < C; c++) dx[xo + c] += cols[co + c];
          }
        }
      }
    }
  }
}

/** Taps of one phase: the filter rows i ≡ (r + pad) mod s, as (first offset, rows by offset). */
function phaseTaps(r: number, pad: number, s: number, k: number): { d0: number; taps: number[] } {
  const taps: number[] = [];
  let d0 = 0;
  // i = r + pad − s·d for d ascending ⇒ i descending.
  for (let i = k - 1; i >= 0; i--) {
    if ((((r + pad - i) % s) + s) % s !== 0) continue;
    if (taps.length === 0) d0 = (r + pad - i) / s;
    taps.push(i);
  }
  return { d0, taps };
}

/**
 * Strided Conv2DBackpropInput as s_h·s_w stride-1 XNNPACK convs ("sub-pixel" phases): the
 * rows ih = a·s + r of dx only see the filter rows i ≡ (r + top) mod s. Each phase is a
 * Conv2D of dy with that sub-filter (flipped, in/out transposed); the phases are then
 * interleaved into dx. Returns null where a phase would need negative padding.
 */
function subPixelBackpropInput(
  be: WasmBackendLike, backend: unknown, dy: TensorInfo, filter: TensorInfo, inputShape: number[],
  sh: number, sw: number, pt: number, pl: number, Ho: number, Wo: number,
): TensorInfo | null {
  const [N, H, W, Ci] = inputShape;
  const [kh, kw, , Co] = filter.shape;
  interface Phase { r: number; q: number; ha: number; wa: number; rows: { d0: number; taps: number[] }; cols: { d0: number; taps: number[] } }
  const phases: Phase[] = [];
  for (let r = 0; r < Math.min(sh, H); r++) {
    for (let q = 0; q < Math.min(sw, W); q++) {
      const ha = Math.ceil((H - r) / sh);
      const wa = Math.ceil((W - q) / sw);
      const rows = phaseTaps(r, pt, sh, kh);
      const cols = phaseTaps(q, pl, sw, kw);
      if (rows.taps.length > 0 && cols.taps.length > 0) {
        const padT = -rows.d0;
        const padB = ha + rows.taps.length - 1 - Ho - padT;
        const padL = -cols.d0;
        const padR = wa + cols.taps.length - 1 - Wo - padL;
        if (padT < 0 || padB < 0 || padL < 0 || padR < 0) return null;
      }
      phases.push({ r, q, ha, wa, rows, cols });
    }
  }
  const dx = be.makeOutput(inputShape, 'float32');
  be.typedArrayFromHeap(dx).fill(0);
  for (const ph of phases) {
    const kr = ph.rows.taps.length;
    const kc = ph.cols.taps.length;
    if (kr === 0 || kc === 0) continue; // no tap reaches these rows/columns: zeros
    const f = be.makeOutput([kr, kc, Co, Ci], 'float32');
    {
      const w = be.typedArrayFromHeap(filter);
      const t = be.typedArrayFromHeap(f);
      for (let u = 0; u < kr; u++) {
        for (let v = 0; v < kc; v++) {
          const src = (ph.rows.taps[u] * kw + ph.cols.taps[v]) * Ci * Co;
          const dst = (u * kc + v) * Co * Ci;
          for (let c = 0; c < Ci; c++) for (let o = 0; o < Co; o++) t[dst + o * Ci + c] = w[src + c * Co + o];
        }
      }
    }
    const padT = -ph.rows.d0;
    const padL = -ph.cols.d0;
    const out = runWasm('Conv2D', { x: dy, filter: f }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC',
      pad: [[0, 0], [padT, ph.ha + kr - 1 - Ho - padT], [padL, ph.wa + kc - 1 - Wo - padL], [0, 0]],
    } as unknown as NamedAttrMap, backend);
    be.disposeData(f.dataId);
    const o = be.typedArrayFromHeap(out);
    const d = be.typedArrayFromHeap(dx);
    const { ha, wa, r, q } = ph;
    let k = 0;
    for (let n = 0; n < N; n++) {
      for (let a = 0; a < ha; a++) {
        let di = ((n * H + a * sh + r) * W + q) * Ci;
        const step = sw * Ci;
        for (let b = 0; b < wa; b++, di += step) for (let c = 0; c < Ci; c++) d[di + c] = o[k++];
      }
    }
    be.disposeData(out.dataId);
  }
  return dx;
}

function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as WasmBackendLike;
  const a = attrs ?? {};
  checkCommon('Conv2DBackpropFilter', a);
  const x = inputs.x;
  const dy = inputs.dy;
  const filterShape = a.filterShape as number[];
  const info = convInfo(x.shape, filterShape, a, false);
  const [N, H, W, Ci] = x.shape;
  const { outHeight: Ho, outWidth: Wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const Co = filterShape[3];
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  // Batch as channels: dWᵀ[ci, i, j, co] = Σ xᵀ[ci, i + oh·s − pt, j + ow·s − pl, n] · dyᵀ[oh, ow, n, co],
  // i.e. the wasm (XNNPACK) Conv2D of xᵀ [Ci, H, W, N] with dyᵀ [Ho, Wo, N, Co] as the filter,
  // dilated by the stride, giving a [Ci, kh, kw, Co] output.
  const pb = kh + (Ho - 1) * sh - H - pt;
  const pr = kw + (Wo - 1) * sw - W - pl;
  if (pt >= 0 && pl >= 0 && pb >= 0 && pr >= 0) {
    const xT = runWasm('Transpose', { x }, { perm: [3, 1, 2, 0] }, backend);
    const dyT = runWasm('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend);
    const r = runWasm('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1], pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]], dilations: [sh, sw], dataFormat: 'NHWC',
    } as unknown as NamedAttrMap, backend);
    be.disposeData(xT.dataId);
    be.disposeData(dyT.dataId);
    const out = be.makeOutput(filterShape, 'float32');
    const rv = be.typedArrayFromHeap(r);
    const ov = be.typedArrayFromHeap(out);
    const K = kh * kw;
    for (let c = 0; c < Ci; c++) {
      for (let t = 0; t < K; t++) {
        const src = (c * K + t) * Co;
        ov.set(rv.subarray(src, src + Co), (t * Ci + c) * Co);
      }
    }
    be.disposeData(r.dataId);
    return out;
  }
  const P = N * Ho * Wo;
  const R = kh * kw * Ci;
  const cols = be.makeOutput([1, R, P], 'float32');
  // Views after the allocation: it may grow (and so replace) the wasm memory.
  im2colT(be.typedArrayFromHeap(x), be.typedArrayFromHeap(cols), N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl);
  const out = runWasm('BatchMatMul', { a: cols, b: view(dy, [1, P, Co]) }, { transposeA: false, transposeB: false }, backend);
  be.disposeData(cols.dataId);
  return { dataId: out.dataId, shape: filterShape.slice(), dtype: 'float32' };
}

function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as WasmBackendLike;
  const a = attrs ?? {};
  checkCommon('Conv2DBackpropInput', a);
  const dy = inputs.dy;
  const filter = inputs.filter;
  const inputShape = a.inputShape as number[];
  const info = convInfo(inputShape, filter.shape, a, false);
  const [N, H, W, Ci] = inputShape;
  const { outHeight: Ho, outWidth: Wo, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  const Co = filter.shape[3];
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  // Stride 1: a plain XNNPACK conv of dy with the flipped, transposed filter ("full" padding).
  const padT = kh - 1 - pt;
  const padL = kw - 1 - pl;
  const padB = H - Ho + kh - 1 - padT;
  const padR = W - Wo + kw - 1 - padL;
  if (sh === 1 && sw === 1 && padT >= 0 && padL >= 0 && padB >= 0 && padR >= 0) {
    const wf = be.makeOutput([kh, kw, Co, Ci], 'float32');
    const w = be.typedArrayFromHeap(filter);
    const t = be.typedArrayFromHeap(wf);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * Ci * Co;
        const dst = (i * kw + j) * Co * Ci;
        for (let c = 0; c < Ci; c++) for (let o = 0; o < Co; o++) t[dst + o * Ci + c] = w[src + c * Co + o];
      }
    }
    const dx = runWasm('Conv2D', { x: dy, filter: wf }, {
      strides: [1, 1], pad: [[0, 0], [padT, padB], [padL, padR], [0, 0]], dilations: [1, 1], dataFormat: 'NHWC',
    } as unknown as NamedAttrMap, backend);
    be.disposeData(wf.dataId);
    return dx;
  }
  const phased = subPixelBackpropInput(be, backend, dy, filter, inputShape, sh, sw, pt, pl, Ho, Wo);
  if (phased != null) return phased;
  const P = N * Ho * Wo;
  const R = kh * kw * Ci;
  // Wᵀ [Co, R] (small) so the product below takes the fast no-transpose path.
  const wT = be.makeOutput([1, Co, R], 'float32');
  {
    const w = be.typedArrayFromHeap(filter);
    const t = be.typedArrayFromHeap(wT);
    for (let r = 0; r < R; r++) for (let o = 0; o < Co; o++) t[o * R + r] = w[r * Co + o];
  }
  const cols = runWasm('BatchMatMul', { a: view(dy, [1, P, Co]), b: wT }, { transposeA: false, transposeB: false }, backend);
  be.disposeData(wT.dataId);
  const dx = be.makeOutput(inputShape, 'float32');
  col2im(be.typedArrayFromHeap(view(cols, [P * R])), be.typedArrayFromHeap(dx), N, H, W, Ci, Ho, Wo, kh, kw, sh, sw, pt, pl);
  be.disposeData(cols.dataId);
  return dx;
}

function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as WasmBackendLike;
  const a = attrs ?? {};
  checkCommon('DepthwiseConv2dNativeBackpropInput', a);
  const dy = inputs.dy;
  const filter = inputs.filter;
  const inputShape = a.inputShape as number[];
  const info = convInfo(inputShape, filter.shape, a, true);
  const [N, H, W, C] = inputShape;
  const [kh, kw, , m] = filter.shape;
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw } = info;
  const CM = C * m;
  // Q = dy zero-interleaved by the stride, padded so that a 'valid' correlation with the
  // flipped filter gives dx: Q[u, v] = dy[oh, ow] at u = kh-1-top + oh·sh, v = kw-1-left + ow·sw.
  const Hq = H + kh - 1;
  const Wq = W + kw - 1;
  const q = be.makeOutput([N, Hq, Wq, CM], 'float32');
  const fl = be.makeOutput([kh, kw, CM, 1], 'float32');
  {
    const qv = be.typedArrayFromHeap(q);
    const dv = be.typedArrayFromHeap(dy);
    qv.fill(0);
    const u0 = kh - 1 - info.padInfo.top;
    const v0 = kw - 1 - info.padInfo.left;
    for (let n = 0; n < N; n++) {
      for (let oh = 0; oh < Ho; oh++) {
        const u = u0 + oh * sh;
        if (u < 0 || u >= Hq) continue;
        const qRow = ((n * Hq + u) * Wq) * CM;
        const dRow = ((n * Ho + oh) * Wo) * CM;
        for (let ow = 0; ow < Wo; ow++) {
          const v = v0 + ow * sw;
          if (v < 0 || v >= Wq) continue;
          qv.set(dv.subarray(dRow + ow * CM, dRow + (ow + 1) * CM), qRow + v * CM);
        }
      }
    }
    const f = be.typedArrayFromHeap(filter);
    const fv = be.typedArrayFromHeap(fl);
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const src = ((kh - 1 - i) * kw + (kw - 1 - j)) * CM;
        fv.set(f.subarray(src, src + CM), (i * kw + j) * CM);
      }
    }
  }
  const r = runWasm('DepthwiseConv2dNative', { x: q, filter: fl },
    { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' }, backend);
  be.disposeData(q.dataId);
  be.disposeData(fl.dataId);
  if (m === 1) return r;
  const dx = be.makeOutput(inputShape, 'float32');
  const rv = be.typedArrayFromHeap(r);
  const xv = be.typedArrayFromHeap(dx);
  const px = N * H * W;
  for (let p = 0; p < px; p++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      const b = p * CM + c * m;
      for (let k = 0; k < m; k++) s += rv[b + k];
      xv[p * C + c] = s;
    }
  }
  be.disposeData(r.dataId);
  return dx;
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const be = backend as WasmBackendLike;
  const a = attrs ?? {};
  checkCommon('DepthwiseConv2dNativeBackpropFilter', a);
  const x = inputs.x;
  const dy = inputs.dy;
  const filterShape = a.filterShape as number[];
  const info = convInfo(x.shape, filterShape, a, true);
  const [N, H, W, C] = x.shape;
  const [kh, kw, , m] = filterShape;
  const { outHeight: Ho, outWidth: Wo, strideHeight: sh, strideWidth: sw } = info;
  const pt = info.padInfo.top;
  const pl = info.padInfo.left;
  const CM = C * m;
  const acc = new Float64Array(kh * kw * CM);
  const out = be.makeOutput(filterShape, 'float32');
  const xv = be.typedArrayFromHeap(x);
  const dv = be.typedArrayFromHeap(dy);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const ab = (i * kw + j) * CM;
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < Ho; oh++) {
          const ih = oh * sh - pt + i;
          if (ih < 0 || ih >= H) continue;
          const xr = (n * H + ih) * W * C;
          const dr = (n * Ho + oh) * Wo * CM;
          for (let ow = 0; ow < Wo; ow++) {
            const iw = ow * sw - pl + j;
            if (iw < 0 || iw >= W) continue;
            const xo = xr + iw * C;
            const d0 = dr + ow * CM;
            if (m === 1) {
              for (let c = 0; c < C; c++) acc[ab + c] += xv[xo + c] * dv[d0 + c];
            } else {
              for (let c = 0; c < C; c++) {
                const xc = xv[xo + c];
                for (let k = 0; k < m; k++) acc[ab + c * m + k] += xc * dv[d0 + c * m + k];
              }
            }
          }
        }
      }
    }
  }
  be.typedArrayFromHeap(out).set(acc);
  return out;
}

const KERNELS: KernelConfig[] = [
  { kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: conv2DBackpropFilter as never },
  { kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: conv2DBackpropInput as never },
  { kernelName: 'DepthwiseConv2dNativeBackpropInput', backendName: 'wasm', kernelFunc: depthwiseBackpropInput as never },
  { kernelName: 'DepthwiseConv2dNativeBackpropFilter', backendName: 'wasm', kernelFunc: depthwiseBackpropFilter as never },
];

/** Names of the kernels this module installs for 'wasm' (new or replacing slow stock ones). */
export const WASM_TRAINING_KERNELS: readonly string[] = KERNELS.map((k) => k.kernelName);
export { WASM_FAST_OPS };

let registered = false;

/**
 * Registers the training kernels for backend 'wasm' (replacing the stock scalar
 * Conv2DBackpropInput) and the fast paths of wasmFastOps.ts. Idempotent. Needs `@tensorflow/tfjs-backend-wasm` to be imported
 * (it registers the backend and the kernels ours build on).
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  for (const k of KERNELS) {
    if (tf.getKernel(k.kernelName, 'wasm') != null) tf.unregisterKernel(k.kernelName, 'wasm');
    tf.registerKernel(k);
  }
  registerWasmFastOps();
  registered = true;
}
