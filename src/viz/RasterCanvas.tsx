/** A small canvas island: paints h×w RGBA bytes, enlarged with crisp pixels. */
import { useEffect, useRef } from 'react';

export interface RasterCanvasProps {
  rgba: Uint8ClampedArray;
  w: number;
  h: number;
  size: number;
  label: string;
}

export function RasterCanvas({ rgba, w, h, size, label }: RasterCanvasProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(w, h);
    img.data.set(rgba);
    ctx.putImageData(img, 0, 0);
  }, [rgba, w, h]);
  return <canvas ref={ref} width={w} height={h} role="img" aria-label={label}
    style={{ width: size, height: size, imageRendering: 'pixelated' }} />;
}
