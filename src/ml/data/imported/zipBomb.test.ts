/**
 * Zip bombs made here, as real archives: DEFLATE streams of zeros at about 1000:1 written by
 * Node's zlib, wrapped in zip headers written below (with CRC-32 from Python's zlib), then read by
 * readZip with the product's caps, each in a fresh Node process whose peak memory is measured.
 */
import { describe, expect, it } from 'vitest';
import { constants, deflateRawSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sizeText } from './zip';
import { IMPORT_LIMITS } from '../../../domain';

const MiB = 1 << 20;
const CAPS = { maxInflatedBytes: IMPORT_LIMITS.maxInflatedBytes, maxEntries: IMPORT_LIMITS.maxEntries, maxFileBytes: IMPORT_LIMITS.maxFileBytes };

/** Raw DEFLATE of `mib` MiB of zeros: one fully flushed 1 MiB segment repeated, then an empty final block. */
function zerosDeflated(mib: number): Uint8Array {
  const seg = deflateRawSync(Buffer.alloc(MiB), { level: 9, finishFlush: constants.Z_FULL_FLUSH });
  const out = new Uint8Array(seg.length * mib + 2);
  for (let i = 0; i < mib; i++) out.set(seg, i * seg.length);
  out.set([0x03, 0x00], seg.length * mib);
  return out;
}

/** CRC-32 of `mib` MiB of zeros (Python's zlib, in a child process). */
function zerosCrc(mib: number): number {
  return Number(execFileSync('python3', ['-c', `import zlib\nc=0\nb=bytes(${MiB})\nfor _ in range(${mib}): c=zlib.crc32(b,c)\nprint(c)`]).toString().trim());
}

interface Entry { name: string; data: Uint8Array; crc: number; size: number; header?: 'honest' | 'descriptor' | 'lie' }

/** A zip of deflated entries: local headers (sizes honest, deferred to a data descriptor, or false), data, central directory. */
function zipOf(entries: Entry[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let at = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const dd = e.header === 'descriptor';
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(dd ? 8 : 0, 6); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(dd ? 0 : e.crc, 14); local.writeUInt32LE(dd ? 0 : e.data.length, 18);
    local.writeUInt32LE(dd ? 0 : e.header === 'lie' ? 1000 : e.size, 22); local.writeUInt16LE(name.length, 26); name.copy(local, 30);
    const desc = Buffer.alloc(dd ? 16 : 0);
    if (dd) { desc.writeUInt32LE(0x08074b50, 0); desc.writeUInt32LE(e.crc, 4); desc.writeUInt32LE(e.data.length, 8); desc.writeUInt32LE(e.size, 12); }
    const cd = Buffer.alloc(46 + name.length);
    cd.writeUInt32LE(0x02014b50, 0); cd.writeUInt16LE(20, 4); cd.writeUInt16LE(20, 6); cd.writeUInt16LE(dd ? 8 : 0, 8); cd.writeUInt16LE(8, 10);
    cd.writeUInt32LE(e.crc, 16); cd.writeUInt32LE(e.data.length, 20); cd.writeUInt32LE(e.size, 24); cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(at, 42); name.copy(cd, 46);
    parts.push(local, e.data, desc); central.push(cd);
    at += local.length + e.data.length + desc.length;
  }
  const cdLen = central.reduce((n, c) => n + c.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdLen, 12); end.writeUInt32LE(at, 16);
  return new Uint8Array(Buffer.concat([...parts, ...central, end]));
}

/**
 * Reads `zip` with readZip in a fresh Node process and returns its refusal and how far that
 * process's peak resident memory (VmHWM, reset through /proc/self/clear_refs once the archive is
 * in memory) rose above its resident memory before readZip: every buffer fflate and readZip
 * allocate counts, garbage included, and no earlier test's heap blurs the figure.
 */
function refusal(zip: Uint8Array, caps = CAPS): { message: string; growth: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bomb-'));
  writeFileSync(path.join(dir, 'bomb.zip'), zip);
  const probe = `
    import { readFileSync, writeFileSync } from 'node:fs';
    import { readZip } from ${JSON.stringify(path.resolve('src/ml/data/imported/zip.ts'))};
    const kB = (f) => Number(readFileSync('/proc/self/status', 'utf8').split(String.fromCharCode(10)).find((l) => l.startsWith(f + ':')).replace(/[^0-9]/g, '')) * 1024;
    const blob = new Blob([readFileSync(${JSON.stringify(path.join(dir, 'bomb.zip'))})]);
    writeFileSync('/proc/self/clear_refs', '5');
    const before = kB('VmRSS');
    let message = '';
    try { await readZip(blob, 'bomb.zip', ${JSON.stringify(caps)}, async () => undefined); } catch (e) { message = e.constructor.name + ': ' + e.message; }
    console.log(JSON.stringify({ message, growth: kB('VmHWM') - before }));`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe]).toString();
  return JSON.parse(out.trim().split('\n').pop()!) as { message: string; growth: number };
}

describe('zip bombs are refused while inflating', () => {
  const GiB = 1024;
  const data = zerosDeflated(GiB);
  const crc = zerosCrc(GiB);
  const bomb = (header: Entry['header']) => zipOf([{ name: 'cats/bomb.png', data, crc, size: GiB * MiB, header }]);

  it('the fixture is a real 1000:1 archive that zlib inflates to 1 GiB of zeros', () => {
    expect(GiB * MiB / data.length).toBeGreaterThan(1000);
    expect(execFileSync('python3', ['-c', 'import zipfile,sys,io\nz=zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read()))\ni=z.infolist()[0]\nprint(i.file_size, i.compress_size)'], { input: bomb('honest') }).toString().trim())
      .toBe(`${GiB * MiB} ${data.length}`);
  });

  it('an entry whose header states 1 GiB is refused before it is inflated', () => {
    const { message, growth } = refusal(bomb('honest'));
    expect(message).toMatch(/ZipRefused: bomb\.zip: entry cats\/bomb\.png inflates past 64 MB \(the cap for one image\) \(its header says 1024 MB, from 1\.0 MB compressed\).*zip bomb/);
    expect(growth).toBeLessThan(2 * CAPS.maxFileBytes);
  });

  for (const header of ['descriptor', 'lie'] as const) {
    it(`an entry whose header ${header === 'descriptor' ? 'states 0 bytes (sizes in a data descriptor)' : 'claims 1000 bytes'} stops at the cap, memory under 2× the cap`, () => {
      const { message, growth } = refusal(bomb(header));
      expect(message).toMatch(header === 'descriptor' ? /inflates past 64 MB \(the cap for one image\) in a 1\.0 MB archive: this looks like a zip bomb/
        : /inflates past 64 MB \(the cap for one image\) from 1\.0 MB compressed/);
      console.log(`zip bomb, header ${header}: peak resident growth ${(growth / MiB).toFixed(1)} MiB (cap ${CAPS.maxFileBytes / MiB} MiB)`);
      expect(growth).toBeLessThan(2 * CAPS.maxFileBytes);
    });
  }

  it('many entries just under the cap are handed on one at a time and stopped at the total cap', () => {
    const each = 60;
    const small = zerosDeflated(each);
    const crc60 = zerosCrc(each);
    const zip = zipOf(Array.from({ length: 6 }, (_, i) => ({ name: `cats/${i}.png`, data: small, crc: crc60, size: each * MiB, header: 'descriptor' as const })));
    expect(zip.length).toBeLessThan(MiB); // six 60 MiB entries in one 1 MiB read
    const { message, growth } = refusal(zip, { ...CAPS, maxInflatedBytes: 300 * MiB });
    expect(message).toMatch(/its entries inflate past 300 MB in total/);
    console.log(`6 × 60 MiB entries: peak resident growth ${(growth / MiB).toFixed(1)} MiB`);
    // One entry, its joined copy and one piece's output, plus garbage the collector has not reached
    // yet: 156–163 MiB on an idle machine, 212 MiB once under heavy load; far from the 360 MiB total.
    expect(growth).toBeLessThan(4 * CAPS.maxFileBytes);
  });

  it('sizes in messages never read "0 MB" for a file that is not empty', () => {
    expect(sizeText(0.2 * MiB)).toBe('0.2 MB');
    expect(sizeText(35_000)).toBe('35 KB');
    expect(sizeText(1)).toBe('1 byte');
    expect(sizeText(1024 * MiB)).toBe('1024 MB');
  });
});
