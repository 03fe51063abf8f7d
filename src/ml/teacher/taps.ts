/**
 * The default taps of an imported teacher, in the manner of timm's `features_only`: the last 4-D
 * output at each spatial resolution, the stem (everything before the first merge of two
 * branches, e.g. a residual Add) left out, at most six (the deepest ones).
 */
import type { TeacherTap } from '../../domain';

export const MAX_DEFAULT_TAPS = 6;

/** `candidates` in graph order; `stemCount`: how many of them come before the first merge. */
export function defaultTaps(candidates: TeacherTap[], stemCount: number): string[] {
  const body = candidates.slice(stemCount).filter((t) => t.shape[0] > 1 || t.shape[1] > 1);
  const lastAt = new Map<string, string>();
  for (const t of body) {
    const key = `${t.shape[0]}x${t.shape[1]}`;
    lastAt.delete(key);
    lastAt.set(key, t.name);
  }
  const picked = new Set(lastAt.values());
  const ordered = body.filter((t) => picked.has(t.name)).map((t) => t.name);
  return ordered.slice(Math.max(0, ordered.length - MAX_DEFAULT_TAPS));
}

/**
 * Stride of a tap: the power of two s with ⌈H/s⌉ = h ('same' padding rounds up: 28 → 14 → 7 → 4
 * is strides 2, 4, 8), else the nearest integer ratio.
 */
export function strideOf(inputHeight: number, tapHeight: number): number {
  for (let s = 1; s <= inputHeight; s *= 2) if (Math.ceil(inputHeight / s) === tapHeight) return s;
  return Math.max(1, Math.round(inputHeight / tapHeight));
}

/** SHA-256 (hex, first 16 digits) over the files' names and bytes, in name order. */
export async function fingerprintOf(files: { name: string; bytes: ArrayBuffer }[]): Promise<string> {
  const sorted = [...files].sort((a, b) => (a.name < b.name ? -1 : 1));
  const enc = new TextEncoder();
  const parts = sorted.flatMap((f) => [enc.encode(`${f.name}\n${f.bytes.byteLength}\n`), new Uint8Array(f.bytes)]);
  const total = parts.reduce((a, p) => a + p.length, 0);
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { all.set(p, o); o += p.length; }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
  return Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join('');
}
