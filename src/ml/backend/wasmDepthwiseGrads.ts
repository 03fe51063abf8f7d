/**
 * Depthwise conv gradients for the wasm backend (NHWC, dilations 1; TF.js 4.22 has neither):
 *
 *  - DepthwiseConv2dNativeBackpropInput: dy zero-interleaved (stride) and padded in JS, then
 *    the wasm DepthwiseConv2dNative with the spatially flipped filter, pad 'valid'
 *    (channel multiplier m > 1: channels C·m with multiplier 1, then summed over m).
 *  - DepthwiseConv2dNativeBackpropFilter: per-tap, per-channel dot products (JS loop,
 *    float64 accumulators).
 */
import type { TensorInfo } from '@tensorflow/tfjs';
import { checkCommon, convInfo, runWasm, type KernelArgs, type WasmBackendLike } from './wasmKernelUtil';

export function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
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

export function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
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
