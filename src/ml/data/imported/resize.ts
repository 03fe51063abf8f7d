/**
 * The geometry of the three resize modes and the colour conversion, as plain maths the decode
 * worker applies with a canvas.
 */
import type { ColourMode, ResizeMode } from '../../../domain';

export interface DrawRect { sx: number; sy: number; sw: number; sh: number; dx: number; dy: number; dw: number; dh: number }

/** Which part of a w×h source lands where in the outW×outH output. */
export function drawRect(w: number, h: number, outW: number, outH: number, mode: ResizeMode): DrawRect {
  if (mode === 'stretch') return { sx: 0, sy: 0, sw: w, sh: h, dx: 0, dy: 0, dw: outW, dh: outH };
  const src = w / h;
  const dst = outW / outH;
  if (mode === 'crop') {
    // The largest centred source window with the output's aspect ratio.
    const sw = src > dst ? h * dst : w;
    const sh = src > dst ? h : w / dst;
    return { sx: (w - sw) / 2, sy: (h - sh) / 2, sw, sh, dx: 0, dy: 0, dw: outW, dh: outH };
  }
  // pad: the whole source, scaled to fit, centred.
  const scale = Math.min(outW / w, outH / h);
  const dw = w * scale;
  const dh = h * scale;
  return { sx: 0, sy: 0, sw: w, sh: h, dx: (outW - dw) / 2, dy: (outH - dh) / 2, dw, dh };
}

/**
 * RGBA (canvas order) to the stored pixels: RGB, or greyscale by ITU-R BT.601 luma
 * (0.299 R + 0.587 G + 0.114 B, as PIL's convert('L') does). Writes into `out` at `offset`.
 */
export function rgbaToPixels(rgba: Uint8ClampedArray | Uint8Array, colour: ColourMode, out: Uint8Array, offset: number): void {
  const n = rgba.length / 4;
  if (colour === 'rgb') {
    for (let i = 0; i < n; i++) {
      out[offset + 3 * i] = rgba[4 * i];
      out[offset + 3 * i + 1] = rgba[4 * i + 1];
      out[offset + 3 * i + 2] = rgba[4 * i + 2];
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    out[offset + i] = Math.round((rgba[4 * i] * 299 + rgba[4 * i + 1] * 587 + rgba[4 * i + 2] * 114) / 1000);
  }
}

/** Whether every pixel has R = G = B (a greyscale picture stored as colour). */
export function isGrey(rgba: Uint8ClampedArray | Uint8Array): boolean {
  for (let i = 0; i < rgba.length; i += 4) if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  return true;
}
