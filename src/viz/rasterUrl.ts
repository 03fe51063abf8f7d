/**
 * RGBA bytes → an uncompressed BMP as a data URL, built in plain JS and cached by the pixel
 * buffer's identity (pass the same Uint8ClampedArray again to get the same URL). No canvas, no
 * PNG encoding and no GPU surface: a few microseconds per small tile, and the browser decodes a
 * BMP almost for free. Alpha is composited over white (the tiles are opaque anyway).
 */
const urls = new WeakMap<Uint8ClampedArray, string>();

/** A 24-bit bottom-up BMP (BITMAPINFOHEADER) of h×w RGBA pixels. */
export function rgbaToBmp(rgba: ArrayLike<number>, w: number, h: number): Uint8Array {
  const row = (w * 3 + 3) & ~3;
  const size = 54 + row * h;
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  out[0] = 0x42; out[1] = 0x4d; // "BM"
  v.setUint32(2, size, true);
  v.setUint32(10, 54, true); // pixel data offset
  v.setUint32(14, 40, true); // header size
  v.setInt32(18, w, true);
  v.setInt32(22, h, true); // positive: rows bottom-up
  v.setUint16(26, 1, true); // planes
  v.setUint16(28, 24, true); // bits per pixel
  v.setUint32(34, row * h, true);
  for (let y = 0; y < h; y++) {
    let o = 54 + (h - 1 - y) * row;
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const alpha = rgba[i + 3];
      if (alpha === 255) { // opaque (every tile the studio draws): a plain copy
        out[o++] = rgba[i + 2];
        out[o++] = rgba[i + 1];
        out[o++] = rgba[i];
        continue;
      }
      const a = alpha / 255;
      out[o++] = Math.round(rgba[i + 2] * a + 255 * (1 - a));
      out[o++] = Math.round(rgba[i + 1] * a + 255 * (1 - a));
      out[o++] = Math.round(rgba[i] * a + 255 * (1 - a));
    }
  }
  return out;
}

function base64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

export function rgbaToDataUrl(rgba: Uint8ClampedArray, w: number, h: number): string {
  let url = urls.get(rgba);
  if (url === undefined) {
    url = `data:image/bmp;base64,${base64(rgbaToBmp(rgba, w, h))}`;
    urls.set(rgba, url);
  }
  return url;
}
