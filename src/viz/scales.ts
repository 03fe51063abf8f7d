/**
 * Colour scales, one per meaning, both colour-blind-safe sequential palettes:
 * - attention α (a share in [0, 1]): viridis;
 * - spatial energy (fraction of a map's peak, [0, 1]): cividis.
 */
import { scaleSequential } from 'd3-scale';
import { interpolateCividis, interpolateViridis } from 'd3-scale-chromatic';

/** Attention share α ∈ [0, 1] → colour. The domain is fixed so colours compare across evaluations. */
export const attentionColour = scaleSequential(interpolateViridis).domain([0, 1]).clamp(true);

/** Energy as a fraction of its map's peak, [0, 1] → colour. */
export const energyColour = scaleSequential(interpolateCividis).domain([0, 1]).clamp(true);

/** Parses "#rrggbb" or "rgb(r, g, b)" (what d3-scale-chromatic returns) into [r, g, b] bytes. */
export function rgbBytes(colour: string): [number, number, number] {
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour);
  if (hex) return [parseInt(hex[1], 16), parseInt(hex[2], 16), parseInt(hex[3], 16)];
  const rgb = /^rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)$/.exec(colour);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`Colour "${colour}" is neither #rrggbb nor rgb(r, g, b).`);
}

/** Relative luminance (WCAG 2) of a colour, in [0, 1]. */
export function luminance(colour: string): number {
  const lin = rgbBytes(colour).map((b) => {
    const c = b / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

/** Black or white text, whichever contrasts more with the fill. */
export function textOn(fill: string): '#000' | '#fff' {
  const L = luminance(fill);
  return (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#000' : '#fff';
}

/** `n` evenly spaced gradient stops of a [0, 1] scale, for an SVG linearGradient legend. */
export function legendStops(scale: (v: number) => string, n = 11): { offset: number; colour: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const offset = n === 1 ? 0 : i / (n - 1);
    return { offset, colour: scale(offset) };
  });
}
