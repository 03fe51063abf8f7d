/// <reference lib="webworker" />
/**
 * Decodes one image file in the import worker: magic bytes first (never the extension), the
 * header's claimed size against the pixel cap, then createImageBitmap (the browser's decoders:
 * PNG, JPEG, WebP, BMP, GIF's first frame) and an OffscreenCanvas that resizes it.
 */
import type { ImportSettings, SkipReason } from '../../domain';
import { IMPORT_LIMITS } from '../../domain';
import { drawRect, isGrey, rgbaToPixels } from '../../ml/data/imported/resize';
import { sniff } from '../../ml/data/imported/sniff';

export type Decoded =
  | { ok: true; kind: string; srcWidth: number; srcHeight: number; grey: boolean }
  | { ok: false; reason: SkipReason; detail: string };

const mb = (n: number) => (n >= 2 ** 30 ? `${(n / 2 ** 30).toFixed(1)} GB` : `${Math.max(1, Math.round(n / 2 ** 20))} MB`);

/** Why a file of `size` bytes is skipped before it is read, or null. */
export function tooLarge(size: number): Decoded | null {
  return size > IMPORT_LIMITS.maxFileBytes
    ? { ok: false, reason: 'too-large', detail: `is ${mb(size)}, over the ${mb(IMPORT_LIMITS.maxFileBytes)} limit for one image` }
    : null;
}

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;

function context(w: number, h: number): OffscreenCanvasRenderingContext2D {
  if (!canvas || canvas.width !== w || canvas.height !== h) {
    canvas = new OffscreenCanvas(w, h);
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('this browser has no OffscreenCanvas 2D context in workers; use a current Chromium, Firefox or Safari');
  return ctx;
}

/**
 * Decodes `bytes` and writes its pixels (settings.height × width × channels) into `out` at `offset`.
 * Never throws for a bad file: the reason comes back instead.
 */
export async function decodeInto(bytes: Uint8Array, settings: ImportSettings, out: Uint8Array, offset: number): Promise<Decoded> {
  const s = sniff(bytes.subarray(0, 65536));
  if (s.kind === 'empty') return { ok: false, reason: 'empty', detail: 'is empty (0 bytes)' };
  if (s.kind === 'not-image') return { ok: false, reason: 'not-image', detail: `is not an image: its first bytes are ${s.looksLike}, whatever its extension says` };
  if (s.kind === 'unsupported') return { ok: false, reason: 'unsupported', detail: `is ${s.format}, which the studio cannot decode here` };
  if (s.width !== null && s.height !== null && s.width * s.height > IMPORT_LIMITS.maxPixels) {
    return { ok: false, reason: 'too-many-pixels', detail: `claims ${s.width}×${s.height} pixels, over the ${IMPORT_LIMITS.maxPixels / 1e6} megapixel limit` };
  }
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch (e) {
    return { ok: false, reason: 'corrupt', detail: `is a ${s.kind.toUpperCase()} that cannot be decoded (truncated or corrupt: ${(e as Error).message || 'decode failed'})` };
  }
  const { width, height } = bitmap;
  try {
    const c = context(settings.width, settings.height);
    c.fillStyle = '#000';
    c.fillRect(0, 0, settings.width, settings.height);
    c.imageSmoothingEnabled = true;
    c.imageSmoothingQuality = 'high';
    const r = drawRect(width, height, settings.width, settings.height, settings.resize);
    c.drawImage(bitmap, r.sx, r.sy, r.sw, r.sh, r.dx, r.dy, r.dw, r.dh);
    const rgba = c.getImageData(0, 0, settings.width, settings.height).data;
    rgbaToPixels(rgba, settings.colour, out, offset);
    return { ok: true, kind: s.kind, srcWidth: width, srcHeight: height, grey: isGrey(rgba) };
  } finally {
    bitmap.close();
  }
}

/** SHA-256 of a file's bytes as hex, and its first 32 bits (the split key). */
export async function contentHash(bytes: Uint8Array): Promise<{ hex: string; key: number }> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of d) hex += b.toString(16).padStart(2, '0');
  return { hex, key: ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0 };
}
