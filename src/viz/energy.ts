/**
 * Pixels for the energy-map canvases: an energy map (mean over channels of F², per tap) is shown
 * as a fraction of its own peak with one colour scale, and sample images as grey or RGB.
 */
import { energyColour, rgbBytes } from './scales';

/** values / max(values); an all-zero map stays zero. */
export function normaliseToPeak(values: ArrayLike<number>): number[] {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  return Array.from(values, (v) => (max > 0 ? Math.max(0, v) / max : 0));
}

/** 256-entry lookup table of a [0, 1] scale, so painting a map costs no string parsing per pixel. */
export function colourTable(scale: (v: number) => string = energyColour): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) lut.set(rgbBytes(scale(i / 255)), i * 3);
  return lut;
}

let defaultLut: Uint8Array | null = null;

/** RGBA bytes (h·w·4) of an energy map, normalised to its peak and coloured with the energy scale. */
export function energyToRgba(values: ArrayLike<number>, lut: Uint8Array = (defaultLut ??= colourTable())): Uint8ClampedArray {
  const norm = normaliseToPeak(values);
  const out = new Uint8ClampedArray(norm.length * 4);
  for (let i = 0; i < norm.length; i++) {
    const j = Math.round(norm[i] * 255) * 3;
    out[i * 4] = lut[j];
    out[i * 4 + 1] = lut[j + 1];
    out[i * 4 + 2] = lut[j + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** RGBA bytes of image `index` from a [count,H,W,C] uint8 batch (C = 1 grey or 3 RGB). */
export function imageToRgba(images: Uint8Array, index: number, shape: [number, number, number]): Uint8ClampedArray {
  const [h, w, c] = shape;
  const size = h * w * c;
  if ((index + 1) * size > images.length) throw new Error(`image ${index} is outside a batch of ${images.length / size} images`);
  const out = new Uint8ClampedArray(h * w * 4);
  for (let p = 0; p < h * w; p++) {
    const src = index * size + p * c;
    out[p * 4] = images[src];
    out[p * 4 + 1] = images[src + (c >= 3 ? 1 : 0)];
    out[p * 4 + 2] = images[src + (c >= 3 ? 2 : 0)];
    out[p * 4 + 3] = 255;
  }
  return out;
}
