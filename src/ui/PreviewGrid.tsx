import type { CSSProperties } from 'react';
import type { DatasetPreview } from '../domain';
import { rgbaToDataUrl } from '../viz/rasterUrl';

/** On-screen side of every tile in CSS pixels, whatever the images' size (28 to 384 and more). */
export const TILE = 64;
const COLS = 8;

/** The sheet's cell (its pixels) and the tile on screen, for h×w images. */
export function tileGeometry(h: number, w: number): { cellW: number; cellH: number; tileW: number; tileH: number } {
  const fit = TILE / Math.max(h, w);
  // Images larger than the tile are averaged down into the sheet; smaller ones are enlarged by CSS (pixelated).
  const k = Math.min(1, fit);
  return { cellW: Math.max(1, Math.round(w * k)), cellH: Math.max(1, Math.round(h * k)), tileW: Math.round(w * fit), tileH: Math.round(h * fit) };
}

interface Sprite { url: string; width: number; height: number; cellW: number; cellH: number }

/**
 * All preview images in one RGBA sheet (COLS per row), made once per preview: one image for the
 * browser to fetch and decode instead of one per tile. Each image larger than a tile is
 * shrunk by averaging the source pixels under each sheet pixel (a box filter), so a sheet of
 * 224×224 photos stays as small as one of 64×64 images.
 */
const sprites = new WeakMap<DatasetPreview, Sprite>();
function spriteOf(preview: DatasetPreview): Sprite {
  let s = sprites.get(preview);
  if (s) return s;
  const [h, w, c] = preview.shape;
  const { cellW, cellH } = tileGeometry(h, w);
  const n = preview.labels.length;
  const width = COLS * cellW;
  const height = Math.max(1, Math.ceil(n / COLS)) * cellH;
  const px = new Uint8ClampedArray(width * height * 4).fill(255);
  const sum = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const x0 = (i % COLS) * cellW;
    const y0 = Math.floor(i / COLS) * cellH;
    const base = i * h * w * c;
    for (let y = 0; y < cellH; y++) {
      const sy0 = Math.floor((y * h) / cellH);
      const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * h) / cellH));
      for (let x = 0; x < cellW; x++) {
        const sx0 = Math.floor((x * w) / cellW);
        const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * w) / cellW));
        sum[0] = sum[1] = sum[2] = 0;
        for (let sy = sy0; sy < sy1; sy++) {
          for (let sx = sx0; sx < sx1; sx++) {
            const src = base + (sy * w + sx) * c;
            for (let k = 0; k < 3; k++) sum[k] += preview.images[src + (c === 3 ? k : 0)];
          }
        }
        const area = (sy1 - sy0) * (sx1 - sx0);
        const dst = ((y0 + y) * width + x0 + x) * 4;
        for (let k = 0; k < 3; k++) px[dst + k] = Math.round(sum[k] / area);
      }
    }
  }
  s = { url: rgbaToDataUrl(px, width, height), width, height, cellW, cellH };
  sprites.set(preview, s);
  return s;
}

/** The first training images, each with its class name below, in tiles of TILE pixels (decorative: the list names them). */
export function PreviewGrid({ preview, classNames }: { preview: DatasetPreview; classNames: string[] }) {
  const names = preview.labels.map((l) => classNames[l] ?? String(l));
  const [h, w] = preview.shape;
  const { tileW, tileH } = tileGeometry(h, w);
  const sheet = spriteOf(preview);
  const sx = tileW / sheet.cellW;
  const sy = tileH / sheet.cellH;
  // The sheet's URL is set once, as a custom property, not repeated in every tile's style.
  const listStyle = {
    '--preview-sheet': `url("${sheet.url}")`, '--preview-size': `${sheet.width * sx}px ${sheet.height * sy}px`,
    '--preview-rendering': sx > 1 ? 'pixelated' : 'auto',
  } as CSSProperties;
  return (
    // The image role sits on a wrapper: a list with role="img" leaves its items without a list (axe: listitem).
    <div role="img" data-shape={`${h}x${w}`} aria-label={`The first ${names.length} training images, labelled ${names.join(', ')}`}>
    <ul className="preview" aria-hidden="true" style={listStyle}>
      {names.map((name, i) => (
        <li key={i}>
          <span className="preview-tile" aria-hidden="true" style={{
            width: tileW, height: tileH,
            backgroundPosition: `${-(i % COLS) * tileW}px ${-Math.floor(i / COLS) * tileH}px`,
          }} />
          <span>{name}</span>
        </li>
      ))}
    </ul>
    </div>
  );
}
