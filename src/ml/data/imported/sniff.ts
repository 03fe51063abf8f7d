/**
 * What a file is, from its first bytes (never its extension), and the pixel size its header
 * claims, so a 30000×30000 image is refused before anything tries to allocate it.
 */

export type ImageKind = 'png' | 'jpeg' | 'gif' | 'bmp' | 'webp';
export type Sniffed =
  | { kind: ImageKind; width: number | null; height: number | null }
  | { kind: 'unsupported'; format: string }
  | { kind: 'empty' }
  | { kind: 'not-image'; looksLike: string };

const ascii = (b: Uint8Array, from: number, n: number) => String.fromCharCode(...b.subarray(from, from + n));
const u16be = (b: Uint8Array, i: number) => (b[i] << 8) | b[i + 1];
const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
const u16le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8);
const i32le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
const u24le = (b: Uint8Array, i: number) => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16);

/** Width and height from a JPEG's first start-of-frame segment. */
function jpegSize(b: Uint8Array): [number, number] | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const m = b[i + 1];
    if (m === 0xff) { i++; continue; }
    if (m === 0xd8 || m === 0x01 || (m >= 0xd0 && m <= 0xd7)) { i += 2; continue; }
    const len = u16be(b, i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return [u16be(b, i + 7), u16be(b, i + 5)];
    i += 2 + len;
  }
  return null;
}

function webpSize(b: Uint8Array): [number, number] | null {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) return [u24le(b, 24) + 1, u24le(b, 27) + 1];
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8 ' && b.length >= 30) return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  return null;
}

function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 512);
  let printable = 0;
  for (let i = 0; i < n; i++) if (b[i] === 9 || b[i] === 10 || b[i] === 13 || (b[i] >= 32 && b[i] < 127) || b[i] >= 0xc2) printable++;
  return printable / n > 0.95;
}

/** Sniffs the first bytes of a file (64 KB is plenty for any header, including a JPEG's). */
export function sniff(b: Uint8Array): Sniffed {
  if (b.length === 0) return { kind: 'empty' };
  const dims = (kind: ImageKind, wh: [number, number] | null): Sniffed => ({ kind, width: wh?.[0] ?? null, height: wh?.[1] ?? null });
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return dims('png', ascii(b, 12, 4) === 'IHDR' ? [u32be(b, 16), u32be(b, 20)] : null);
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return dims('png', null);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return dims('jpeg', jpegSize(b));
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return dims('gif', [u16le(b, 6), u16le(b, 8)]);
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') return dims('bmp', [Math.abs(i32le(b, 18)), Math.abs(i32le(b, 22))]);
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return dims('webp', webpSize(b));
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    if (['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return { kind: 'unsupported', format: 'HEIC' };
    if (brand === 'avif' || brand === 'avis') return { kind: 'unsupported', format: 'AVIF' };
  }
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) {
    return { kind: 'unsupported', format: 'TIFF' };
  }
  return { kind: 'not-image', looksLike: looksLikeText(b) ? 'text' : 'unknown binary data' };
}
