import { describe, expect, it } from 'vitest';
import { rgbaToBmp, rgbaToDataUrl } from './rasterUrl';

describe('RGBA to BMP', () => {
  it('writes a 24-bit bottom-up bitmap with padded rows, BGR order, alpha over white', () => {
    // 2×2: red, green / blue, half-transparent black.
    const rgba = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 128]);
    const bmp = rgbaToBmp(rgba, 2, 2);
    const v = new DataView(bmp.buffer);
    expect(String.fromCharCode(bmp[0], bmp[1])).toBe('BM');
    expect(v.getUint32(2, true)).toBe(bmp.length);
    expect(bmp.length).toBe(54 + 8 * 2); // rows of 6 bytes padded to 8
    expect([v.getInt32(18, true), v.getInt32(22, true), v.getUint16(28, true)]).toEqual([2, 2, 24]);
    // The first stored row is the image's bottom row: blue, then black at half alpha over white.
    expect([...bmp.subarray(54, 60)]).toEqual([255, 0, 0, 127, 127, 127]);
    // The top row: red, green.
    expect([...bmp.subarray(62, 68)]).toEqual([0, 0, 255, 0, 255, 0]);
  });

  it('caches the URL per pixel buffer', () => {
    const px = new Uint8ClampedArray(4 * 9).fill(200);
    const a = rgbaToDataUrl(px, 3, 3);
    expect(a.startsWith('data:image/bmp;base64,Qk')).toBe(true);
    expect(rgbaToDataUrl(px, 3, 3)).toBe(a);
  });
});
