/**
 * Conv2D gradients for the wasm backend (NHWC, dilations 1):
 *
 *  - Conv2DBackpropFilter: "batch as channels": the wasm Conv2D of xᵀ [Ci, H, W, N] with
 *    dyᵀ [Ho, Wo, N, Co] as the filter, dilated by the stride (two wasm Transposes, one
 *    XNNPACK conv, a tiny JS permute). Where the padding would have to be negative: im2colᵀ(x)
 *    [kh·kw·Ci, N·Ho·Wo] (JS gather) · dy [N·Ho·Wo, Co] as one BatchMatMul.
 *  - Conv2DBackpropInput (replaces the stock scalar C++ loop, 10–20× slower): stride 1 as
 *    the wasm Conv2D of dy with the flipped, transposed filter and "full" padding; strided:
 *    one such stride-1 conv per output phase (sub-pixel decomposition), interleaved in JS;
 *    fallback: dy [N·Ho·Wo, Co] · Wᵀ [Co, kh·kw·Ci] as one BatchMatMul, then col2im.
 */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { checkCommon, convInfo, runWasm, view, type KernelArgs, type WasmBackendLike } from './wasmKernelUtil';
import { col2im, im2colT } from './wasmIm2col';

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

export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
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

export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
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
