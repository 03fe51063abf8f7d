import { useEffect, useRef } from 'react';
import type { DatasetPreview } from '../domain';

const SCALE = 2;

/** One image of the preview, drawn from its uint8 pixels. */
function Tile({ preview, index }: { preview: DatasetPreview; index: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [h, w, c] = preview.shape;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    const base = index * h * w * c;
    for (let p = 0; p < h * w; p++) {
      const r = preview.images[base + p * c];
      img.data[p * 4] = r;
      img.data[p * 4 + 1] = c === 3 ? preview.images[base + p * c + 1] : r;
      img.data[p * 4 + 2] = c === 3 ? preview.images[base + p * c + 2] : r;
      img.data[p * 4 + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }, [preview, index, h, w, c]);
  return <canvas ref={ref} width={w} height={h} style={{ width: w * SCALE, height: h * SCALE }} aria-hidden="true" />;
}

/** The first training images, each with its class name below. */
export function PreviewGrid({ preview, classNames }: { preview: DatasetPreview; classNames: string[] }) {
  const names = preview.labels.map((l) => classNames[l] ?? String(l));
  return (
    <ul className="preview" role="img" aria-label={`The first ${names.length} training images, labelled ${names.join(', ')}`}>
      {names.map((name, i) => (
        <li key={i}><Tile preview={preview} index={i} /><span>{name}</span></li>
      ))}
    </ul>
  );
}
