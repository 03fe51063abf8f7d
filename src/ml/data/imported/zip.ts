/**
 * Streams the entries of a zip archive with fflate's Unzip (a kept library, not our own reader),
 * a chunk of the archive at a time, handing each finished entry to `visit` before reading on, so
 * memory holds one chunk and the entries it completed. Entries whose path escapes the archive
 * (`../`, absolute paths) are skipped and reported; past the stated caps on inflated bytes or on
 * entries the whole archive is refused (a zip bomb).
 */
import { Unzip, UnzipInflate } from 'fflate';

export interface ZipCaps { maxInflatedBytes: number; maxEntries: number; maxFileBytes: number }
export interface ZipEntry { path: string; dir: boolean; bytes: Uint8Array }

export class ZipRefused extends Error {}

const CHUNK = 1 << 20;
const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** A path inside the archive with '/' separators, or null when it would land outside it. */
export function safeEntryPath(name: string): string | null {
  const p = name.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p)) return null;
  if (p.split('/').some((s) => s === '..')) return null;
  return p;
}

/**
 * Reads `blob` (a .zip) entry by entry; with `inflate: false` only the names (a first pass for the layout).
 * @returns the entry names skipped because their path escapes the archive.
 * @throws ZipRefused naming the archive, the cap and the entry, when a cap is passed.
 */
export async function readZip(blob: Blob, name: string, caps: ZipCaps, visit: (e: ZipEntry) => Promise<void>,
  opts: { inflate: boolean } = { inflate: true }): Promise<{ unsafe: string[]; entries: number }> {
  const unsafe: string[] = [];
  const ready: ZipEntry[] = [];
  let entries = 0;
  let inflated = 0;
  let refused: string | null = null;
  let failed: string | null = null;
  const unzip = new Unzip((file) => {
    if (refused) return;
    entries++;
    if (entries > caps.maxEntries) {
      refused = `${name}: has more than ${caps.maxEntries.toLocaleString('en-US')} entries, the cap for one import; import stopped and nothing was kept. Split it into smaller zips or import the folder.`;
      return;
    }
    const path = safeEntryPath(file.name);
    if (path === null) { unsafe.push(file.name); return; }
    if (path.endsWith('/') || !opts.inflate) { ready.push({ path, dir: path.endsWith('/'), bytes: new Uint8Array(0) }); return; }
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (refused) return;
      if (err) { failed = `${name}: entry ${path} cannot be inflated (${err.message}); re-create the zip.`; return; }
      size += data.length;
      inflated += data.length;
      if (size > caps.maxFileBytes) {
        refused = `${name}: entry ${path} inflates past ${mb(caps.maxFileBytes)} (the cap for one image), from ${mb(file.size ?? 0)} compressed: this looks like a zip bomb. Import stopped and nothing was kept; remove that entry.`;
        file.terminate();
        return;
      }
      if (inflated > caps.maxInflatedBytes) {
        refused = `${name}: its entries inflate past ${mb(caps.maxInflatedBytes)} in total, the cap for one import. Import stopped and nothing was kept; import fewer or smaller images.`;
        file.terminate();
        return;
      }
      parts.push(data);
      if (final) {
        const bytes = parts.length === 1 ? parts[0] : new Uint8Array(size);
        if (parts.length > 1) { let o = 0; for (const p of parts) { bytes.set(p, o); o += p.length; } }
        ready.push({ path, dir: false, bytes });
      }
    };
    if (file.compression !== 0 && file.compression !== 8) {
      failed = `${name}: entry ${path} uses compression method ${file.compression}, which cannot be read here; re-create the zip with "deflate" or "store".`;
      return;
    }
    file.start();
  });
  unzip.register(UnzipInflate);
  for (let at = 0; at < blob.size || at === 0; at += CHUNK) {
    const chunk = new Uint8Array(await blob.slice(at, at + CHUNK).arrayBuffer());
    try {
      unzip.push(chunk, at + CHUNK >= blob.size);
    } catch (e) {
      throw new ZipRefused(`${name}: is not a readable zip archive (${(e as Error).message}); re-create it.`);
    }
    if (refused) throw new ZipRefused(refused);
    if (failed) throw new ZipRefused(failed);
    while (ready.length) await visit(ready.shift()!);
    if (blob.size === 0) break;
  }
  if (entries === 0) throw new ZipRefused(`${name}: holds no entries, or is not a zip archive; pick a .zip of a folder of class folders.`);
  return { unsafe, entries };
}
