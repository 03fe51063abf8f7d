/**
 * Streams the entries of a zip archive with fflate's Unzip (a kept library, not our own reader).
 * The archive is read a megabyte at a time but handed to fflate in small pieces (PIECE): fflate
 * gives all that one push inflates to a single `ondata` call, and DEFLATE reaches about 1032:1,
 * so a piece of 4 KiB inflates to at most about 4.2 MB before the caps are checked again. Each
 * finished entry goes to `visit` before the next piece, so memory holds one entry (at most the
 * per-entry cap) plus one piece's output, whatever the ratio. Entries whose path escapes the
 * archive (`../`, absolute paths) are skipped and reported; past the caps on inflated bytes or
 * on entries the whole archive is refused (a zip bomb), and an entry whose header already
 * states a size over the cap is refused before it is inflated.
 */
import { Unzip, UnzipInflate } from 'fflate';

export interface ZipCaps { maxInflatedBytes: number; maxEntries: number; maxFileBytes: number }
export interface ZipEntry { path: string; dir: boolean; bytes: Uint8Array }

export class ZipRefused extends Error {}

const CHUNK = 1 << 20;
/** Compressed bytes per push into fflate: bounds what one `ondata` call can hold (about 1032× this). */
const PIECE = 4 << 10;
const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;

/** A size for a message: "0.2 MB", "12 MB", "35 KB", "512 bytes", never "0 MB" for a non-empty file. */
export function sizeText(n: number): string {
  const m = n / (1024 * 1024);
  if (m >= 10) return `${Math.round(m)} MB`;
  if (m >= 0.1) return `${m.toFixed(1)} MB`;
  if (n >= 1024) return `${Math.ceil(n / 1024)} KB`;
  return `${n} byte${n === 1 ? '' : 's'}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * An entry's name as the archive's maker meant it, in NFC. Without the zip's UTF-8 flag fflate
 * reads the name byte per character (Latin-1); macOS Finder writes UTF-8 (decomposed, NFD)
 * without that flag, so a name whose characters are all bytes that form valid UTF-8 is decoded as
 * UTF-8. Every name is then normalised to NFC, as a picked folder's names are.
 */
export function entryName(name: string): string {
  let out = name;
  const bytes = Array.from(name, (ch) => ch.charCodeAt(0));
  if (bytes.some((b) => b >= 0x80) && bytes.every((b) => b <= 0xff)) {
    try { out = utf8.decode(Uint8Array.from(bytes)); } catch { /* not UTF-8: keep Latin-1 */ }
  }
  return out.normalize('NFC');
}

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
  const bomb = (path: string, from: string) => `${name}: entry ${path} inflates past ${mb(caps.maxFileBytes)} (the cap for one image) ${from}: this looks like a zip bomb. Import stopped and nothing was kept; remove that entry.`;
  const unzip = new Unzip((file) => {
    if (refused) return;
    entries++;
    if (entries > caps.maxEntries) {
      refused = `${name}: has more than ${caps.maxEntries.toLocaleString('en-US')} entries, the cap for one import; import stopped and nothing was kept. Split it into smaller zips or import the folder.`;
      return;
    }
    const path = safeEntryPath(entryName(file.name));
    if (path === null) { unsafe.push(file.name); return; }
    if (path.endsWith('/') || !opts.inflate) { ready.push({ path, dir: path.endsWith('/'), bytes: new Uint8Array(0) }); return; }
    if (file.originalSize !== undefined && file.originalSize > caps.maxFileBytes) {
      refused = bomb(path, `(its header says ${sizeText(file.originalSize)}, from ${sizeText(file.size ?? 0)} compressed)`);
      return;
    }
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, data, final) => {
      if (refused) return;
      if (err) { failed = `${name}: entry ${path} cannot be inflated (${err.message}); re-create the zip.`; return; }
      size += data.length;
      inflated += data.length;
      if (size > caps.maxFileBytes) {
        refused = bomb(path, file.size ? `from ${sizeText(file.size)} compressed` : `in a ${sizeText(blob.size)} archive`);
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
        parts.length = 0;
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
    const last = at + CHUNK >= blob.size;
    for (let p = 0; p < chunk.length || p === 0; p += PIECE) {
      try {
        unzip.push(chunk.subarray(p, p + PIECE), last && p + PIECE >= chunk.length);
      } catch (e) {
        throw new ZipRefused(`${name}: is not a readable zip archive (${(e as Error).message}); re-create it.`);
      }
      if (refused) throw new ZipRefused(refused);
      if (failed) throw new ZipRefused(failed);
      while (ready.length) await visit(ready.shift()!);
      if (chunk.length === 0) break;
    }
    if (blob.size === 0) break;
  }
  if (entries === 0) throw new ZipRefused(`${name}: holds no entries, or is not a zip archive; pick a .zip of a folder of class folders.`);
  return { unsafe, entries };
}
