import { describe, expect, it } from 'vitest';
import { attentionColour, energyColour, legendStops, luminance, rgbBytes, textOn } from './scales';

describe('colour scales', () => {
  it('parses both colour formats d3-scale-chromatic returns', () => {
    expect(rgbBytes('#440154')).toEqual([0x44, 0x01, 0x54]);
    expect(rgbBytes('rgb(127, 124, 117)')).toEqual([127, 124, 117]);
    expect(() => rgbBytes('red')).toThrow(/neither/);
  });

  it('attention runs dark (0) to light (1) and clamps outside [0, 1]', () => {
    expect(luminance(attentionColour(0))).toBeLessThan(0.05);
    expect(luminance(attentionColour(1))).toBeGreaterThan(0.7);
    expect(attentionColour(-1)).toBe(attentionColour(0));
    expect(attentionColour(2)).toBe(attentionColour(1));
    // monotone lightness: a sequential scale
    const L = [0, 0.25, 0.5, 0.75, 1].map((v) => luminance(attentionColour(v)));
    for (let i = 1; i < L.length; i++) expect(L[i]).toBeGreaterThan(L[i - 1]);
  });

  it('energy uses a different palette than attention', () => {
    expect(energyColour(0.5)).not.toBe(attentionColour(0.5));
    expect(luminance(energyColour(1))).toBeGreaterThan(luminance(energyColour(0)));
  });

  it('picks readable text on dark and light fills', () => {
    expect(textOn(attentionColour(0))).toBe('#fff');
    expect(textOn(attentionColour(1))).toBe('#000');
  });

  it('legend stops span [0, 1] evenly', () => {
    const stops = legendStops(attentionColour, 5);
    expect(stops.map((s) => s.offset)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(stops[0].colour).toBe(attentionColour(0));
  });
});
