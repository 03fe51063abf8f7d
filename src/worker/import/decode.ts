/// <reference lib="webworker" />
/**
 * Decodes one image file in the import worker: magic bytes first (never the extension), the
 * header's claimed size against the pixel cap, then createImageBitmap (the browser's decoders:
 * PNG, JPEG, WebP, BMP, GIF's first frame) and an OffscreenCanvas that resizes it. An opaque
 * 8-bit PNG that already has the chosen size (CIFAR-10 at 32×32, say) needs no resize: it is
 * decoded by UPNG in this worker, which is several times quicker than the round trip
 * through createImageBitmap and a canvas and gives the same pixels (e2e/own-images-decode.spec.ts).
 */
import UPNG from 'upng-js';
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
export async function decodeInto(bytes: Uint8Array, settings: ImportSettings, out: Uint8Array, offset: number, options: { canvasOnly?: boolean } = {}): Promise<Decoded> {
  const s = sniff(bytes.subarray(0, 65536));
  if (s.kind === 'empty') return { ok: false, reason: 'empty', detail: 'is empty (0 bytes)' };
  if (s.kind === 'not-image') return { ok: false, reason: 'not-image', detail: `is not an image: its first bytes are ${s.looksLike}, whatever its extension says` };
  if (s.kind === 'unsupported') return { ok: false, reason: 'unsupported', detail: `is ${s.format}, which the studio cannot decode here` };
  if (s.width !== null && s.height !== null && s.width * s.height > IMPORT_LIMITS.maxPixels) {
    return { ok: false, reason: 'too-many-pixels', detail: `claims ${s.width}×${s.height} pixels, over the ${IMPORT_LIMITS.maxPixels / 1e6} megapixel limit` };
  }
  if (s.kind === 'png' && s.width === settings.width && s.height === settings.height && !options.canvasOnly) {
    const rgba = samePngToRgba(bytes);
    if (rgba) {
      rgbaToPixels(rgba, settings.colour, out, offset);
      return { ok: true, kind: 'png', srcWidth: settings.width, srcHeight: settings.height, grey: isGrey(rgba) };
    }
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

/**
 * RGBA of an opaque 8-bit PNG (grey, RGB or a palette without transparency), or null where the
 * browser's decoder must do it: alpha (the canvas composites it over black), 16-bit samples, an
 * animated PNG, or a file UPNG cannot read (the browser's decoder then words the error).
 */
function samePngToRgba(bytes: Uint8Array): Uint8Array | null {
  // UPNG decodes a cut-short file without complaint (its inflater returns what it got), so a
  // file whose chunks do not run whole up to IEND goes to the browser's decoder, which refuses it.
  if (!chunksComplete(bytes)) return null;
  let png: UPNG.Image;
  try {
    png = UPNG.decode(bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes.slice().buffer);
  } catch {
    return null;
  }
  if (png.depth !== 8 || png.ctype === 4 || png.ctype === 6 || png.tabs.tRNS !== undefined || png.tabs.acTL) return null;
  return new Uint8Array(UPNG.toRGBA8(png)[0]);
}

/** Whether a PNG's chunks each fit in the file, up to and including IEND. */
function chunksComplete(b: Uint8Array): boolean {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = 8; at + 12 <= b.length;) {
    const next = at + 12 + view.getUint32(at);
    if (next > b.length) return false;
    if (b[at + 4] === 0x49 && b[at + 5] === 0x45 && b[at + 6] === 0x4e && b[at + 7] === 0x44) return true; // IEND
    at = next;
  }
  return false;
}

/** SHA-256 of a file's bytes as hex, and its first 32 bits (the split key). */
export async function contentHash(bytes: Uint8Array): Promise<{ hex: string; key: number }> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of d) hex += b.toString(16).padStart(2, '0');
  return { hex, key: ((d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3]) >>> 0 };
}
