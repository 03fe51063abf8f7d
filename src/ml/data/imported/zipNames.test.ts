/**
 * A zip as macOS Finder writes it: names in UTF-8, decomposed (NFD), without the zip's UTF-8
 * flag. Made here from fflate's zip of real PNGs by clearing that flag in every header, then
 * read as the import reads it: the class names and the fingerprint text equal the folder's.
 */
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { detectLayout } from './layout';
import { entryName, readZip } from './zip';

const png = (v: number) => { const p = new PNG({ width: 4, height: 4 }); p.data.fill(v); return new Uint8Array(PNG.sync.write(p)); };

/** Clears general-purpose flag bit 11 (names are UTF-8) in every local and central header. */
function withoutUtf8Flag(zip: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(zip);
  const v = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = v.getUint32(i, true);
    const at = sig === 0x04034b50 ? i + 6 : sig === 0x02014b50 ? i + 8 : -1;
    if (at >= 0) v.setUint16(at, v.getUint16(at, true) & ~0x800, true);
  }
  return out;
}

describe('zip entry names', () => {
  const folder = ['pics/bird 鳥/1.png', 'pics/truck (camión)/2.png', 'pics/café/3.png'];
  it('a Finder zip (UTF-8 NFD names, no UTF-8 flag) gives the folder\'s class names', async () => {
    const files = Object.fromEntries(folder.map((p, i) => [p.normalize('NFD'), png(40 * i)]));
    const finder = withoutUtf8Flag(zipSync(files));
    expect(finder.includes(0xcc)).toBe(true); // U+0301 COMBINING ACUTE ACCENT is stored (CC 81): NFD bytes
    const paths: string[] = [];
    await readZip(new Blob([finder]), 'pics.zip', { maxEntries: 10, maxFileBytes: 1 << 20, maxInflatedBytes: 1 << 22 }, async (e) => { paths.push(e.path); });
    expect(paths).toEqual(folder);
    expect(detectLayout(paths, false).classNames).toEqual(detectLayout(folder, true).classNames);
    expect(detectLayout(paths, false).classNames).toEqual(['bird 鳥', 'café', 'truck (camión)']);
  });
  it('keeps Latin-1 names that are not valid UTF-8, and flagged UTF-8 names, as they are (in NFC)', () => {
    expect(entryName('caf\u00e9/1.png')).toBe('café/1.png'); // one byte E9: not UTF-8
    expect(entryName('bird 鳥/1.png')).toBe('bird 鳥/1.png');
    expect(entryName('cafe\u0301/1.png')).toBe('café/1.png');
  });
});
