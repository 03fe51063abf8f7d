import { describe, expect, it } from 'vitest';
import { colourTable, energyToRgba, imageToRgba, normaliseToPeak } from './energy';
import { energyColour, rgbBytes } from './scales';

describe('energy pixels', () => {
  it('normalises a map to its peak', () => {
    expect(normaliseToPeak([0.1, 0.4, 0.2])).toEqual([0.25, 1, 0.5]);
    expect(normaliseToPeak([0, 0])).toEqual([0, 0]);
  });

  it('paints the peak with the top colour and zero with the bottom colour', () => {
    const rgba = energyToRgba([0, 2]);
    expect(Array.from(rgba.subarray(0, 4))).toEqual([...rgbBytes(energyColour(0)), 255]);
    expect(Array.from(rgba.subarray(4, 8))).toEqual([...rgbBytes(energyColour(1)), 255]);
  });

  it('builds a 256-entry colour table', () => {
    const lut = colourTable();
    expect(lut.length).toBe(768);
    expect(Array.from(lut.subarray(765))).toEqual(rgbBytes(energyColour(1)));
  });

  it('expands grey images to RGBA and picks the right image of a batch', () => {
    const images = Uint8Array.from([1, 2, 3, 4, 10, 20, 30, 40]); // two 2×2 grey images
    expect(Array.from(imageToRgba(images, 1, [2, 2, 1]).subarray(0, 8))).toEqual([10, 10, 10, 255, 20, 20, 20, 255]);
    expect(() => imageToRgba(images, 2, [2, 2, 1])).toThrow(/outside a batch of 2/);
  });

  it('keeps the channels of RGB images', () => {
    const rgb = Uint8Array.from([1, 2, 3]);
    expect(Array.from(imageToRgba(rgb, 0, [1, 1, 3]))).toEqual([1, 2, 3, 255]);
  });
});
