import type { CSSProperties } from 'react';
import type { DatasetPreview } from '../domain';
import { rgbaToDataUrl } from '../viz/rasterUrl';

const SCALE = 2;
const COLS = 8;

interface Sprite { url: string; width: number; height: number }

/**
 * All preview images in one RGBA sheet (COLS per row), made once per preview: one image for the
 * browser to fetch and decode instead of one per tile.
 */
const sprites = new WeakMap<DatasetPreview, Sprite>();
function spriteOf(preview: DatasetPreview): Sprite {
  let s = sprites.get(preview);
  if (s) return s;
  const [h, w, c] = preview.shape;
  const n = preview.labels.length;
  const width = COLS * w;
  const height = Math.max(1, Math.ceil(n / COLS)) * h;
  const px = new Uint8ClampedArray(width * height * 4).fill(255);
  for (let i = 0; i < n; i++) {
    const x0 = (i % COLS) * w;
    const y0 = Math.floor(i / COLS) * h;
    const base = i * h * w * c;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const src = base + (y * w + x) * c;
        const dst = ((y0 + y) * width + x0 + x) * 4;
        const r = preview.images[src];
        px[dst] = r;
        px[dst + 1] = c === 3 ? preview.images[src + 1] : r;
        px[dst + 2] = c === 3 ? preview.images[src + 2] : r;
      }
    }
  }
  s = { url: rgbaToDataUrl(px, width, height), width, height };
  sprites.set(preview, s);
  return s;
}

/** The first training images, each with its class name below (decorative tiles: the list names them). */
export function PreviewGrid({ preview, classNames }: { preview: DatasetPreview; classNames: string[] }) {
  const names = preview.labels.map((l) => classNames[l] ?? String(l));
  const [h, w] = preview.shape;
  const sheet = spriteOf(preview);
  // The sheet's URL is set once, as a custom property, not repeated in every tile's style.
  const listStyle = { '--preview-sheet': `url("${sheet.url}")`, '--preview-size': `${sheet.width * SCALE}px ${sheet.height * SCALE}px` } as CSSProperties;
  return (
    // The image role sits on a wrapper: a list with role="img" leaves its items without a list (axe: listitem).
    <div role="img" aria-label={`The first ${names.length} training images, labelled ${names.join(', ')}`}>
    <ul className="preview" aria-hidden="true" style={listStyle}>
      {names.map((name, i) => (
        <li key={i}>
          <span className="preview-tile" aria-hidden="true" style={{
            width: w * SCALE, height: h * SCALE,
            backgroundPosition: `${-(i % COLS) * w * SCALE}px ${-Math.floor(i / COLS) * h * SCALE}px`,
          }} />
          <span>{name}</span>
        </li>
      ))}
    </ul>
    </div>
  );
}
