/**
 * im2col-style gathers and scatters on the wasm heap, for the conv gradients' BatchMatMul
 * fallbacks (paddings that the XNNPACK routes cannot express).
 */

/**
 * Fills colsT [kh·kw·Ci, N·Ho·Wo] with the transposed im2col of x (zeros where the window
 * leaves the image). Row r = (i·kw + j)·Ci + c, column p = (n·Ho + oh)·Wo + ow.
 */
export function im2colT(
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
export function col2im(
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
