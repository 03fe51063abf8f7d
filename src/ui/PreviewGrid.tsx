import { useEffect, useRef } from 'react';
import type { DatasetPreview } from '../domain';

const SCALE = 2;
const COLS = 8;

/** The first training images drawn on one canvas, each with its class name below. */
export function PreviewGrid({ preview, classNames }: { preview: DatasetPreview; classNames: string[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = preview.shape;
  const n = preview.labels.length;
  const rows = Math.ceil(n / COLS);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    const tile = document.createElement('canvas');
    tile.width = w;
    tile.height = h;
    const tctx = tile.getContext('2d')!;
    ctx.imageSmoothingEnabled = false;
    for (let i = 0; i < n; i++) {
      const base = i * h * w * c;
      for (let p = 0; p < h * w; p++) {
        const r = preview.images[base + p * c];
        img.data[p * 4] = r;
        img.data[p * 4 + 1] = c === 3 ? preview.images[base + p * c + 1] : r;
        img.data[p * 4 + 2] = c === 3 ? preview.images[base + p * c + 2] : r;
        img.data[p * 4 + 3] = 255;
      }
      tctx.putImageData(img, 0, 0);
      ctx.drawImage(tile, (i % COLS) * w * SCALE, Math.floor(i / COLS) * h * SCALE, w * SCALE, h * SCALE);
    }
  }, [preview, h, w, c, n]);
  const names = preview.labels.map((l) => classNames[l] ?? String(l));
  return (
    <figure className="preview">
      <canvas ref={ref} width={COLS * w * SCALE} height={rows * h * SCALE} role="img"
        aria-label={`The first ${n} training images, labelled ${names.join(', ')}`} />
      <figcaption>
        <ol className="preview-labels" style={{ gridTemplateColumns: `repeat(${COLS}, ${w * SCALE}px)` }}>
          {names.map((name, i) => <li key={i}>{name}</li>)}
        </ol>
      </figcaption>
    </figure>
  );
}
