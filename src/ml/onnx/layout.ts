/** Batch layout conversions between ONNX's usual NCHW and the studio's NHWC. */

/** NCHW [B,C,H,W] → NHWC [B,H,W,C]. */
export function nchwToNhwc(src: Float32Array, B: number, C: number, H: number, W: number): Float32Array {
  const out = new Float32Array(src.length);
  const hw = H * W;
  for (let b = 0; b < B; b++) {
    const base = b * C * hw;
    for (let c = 0; c < C; c++) {
      const from = base + c * hw;
      for (let p = 0; p < hw; p++) out[base + p * C + c] = src[from + p];
    }
  }
  return out;
}

/** NHWC [B,H,W,C] → NCHW [B,C,H,W]. */
export function nhwcToNchw(src: Float32Array, B: number, H: number, W: number, C: number): Float32Array {
  const out = new Float32Array(src.length);
  const hw = H * W;
  for (let b = 0; b < B; b++) {
    const base = b * C * hw;
    for (let p = 0; p < hw; p++) for (let c = 0; c < C; c++) out[base + c * hw + p] = src[base + p * C + c];
  }
  return out;
}
