/** Batch layout conversions between ONNX's usual NCHW and the studio's NHWC. */

/** NCHW [B,C,H,W] → NHWC [B,H,W,C]: the first B images of src (tests compare an ONNX model's taps with TF.js ones). */
export function nchwToNhwc(src: Float32Array, B: number, C: number, H: number, W: number): Float32Array {
  const out = new Float32Array(B * C * H * W);
  const hw = H * W;
  for (let b = 0; b < B; b++) {
    const base = b * C * hw;
    for (let c = 0; c < C; c++) {
      const from = base + c * hw;
      for (let p = 0; p < hw; p++) out[base + c + p * C] = src[from + p];
    }
  }
  return out;
}

/** NHWC [B,H,W,C] → NCHW [B,C,H,W]: the first B images of src, into `out` (a new array when omitted). */
export function nhwcToNchw(src: Float32Array, B: number, H: number, W: number, C: number, out: Float32Array = new Float32Array(B * H * W * C)): Float32Array {
  const hw = H * W;
  for (let b = 0; b < B; b++) {
    const base = b * C * hw;
    for (let p = 0; p < hw; p++) for (let c = 0; c < C; c++) out[base + c * hw + p] = src[base + p * C + c];
  }
  return out;
}
