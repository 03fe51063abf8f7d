/**
 * A small raster island: h×w RGBA bytes shown as an <img>, enlarged with crisp pixels. An image
 * (not a live <canvas>) so the browser does not promote every tile to its own compositor layer:
 * dozens of canvas layers, and the overlap layers they force on everything painted after them,
 * made every frame of the page slow to paint and composite.
 */
import { rgbaToDataUrl } from './rasterUrl';

export interface RasterImageProps {
  rgba: Uint8ClampedArray;
  w: number;
  h: number;
  /** Shown width in CSS pixels (height follows the aspect ratio). */
  size: number;
  /** Accessible name; '' marks a decorative tile (aria-hidden). */
  label: string;
}

export function RasterImage({ rgba, w, h, size, label }: RasterImageProps) {
  return <img src={rgbaToDataUrl(rgba, w, h)} width={size} height={Math.round((size * h) / w)} alt={label}
    aria-hidden={label === '' ? true : undefined} className="viz-raster" draggable={false} />;
}
