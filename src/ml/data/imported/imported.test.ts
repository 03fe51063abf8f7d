import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { byCodePoint, detectLayout, isClutter } from './layout';
import { sniff } from './sniff';
import { stratifiedSplit } from './split';
import { readZip, safeEntryPath, ZipRefused } from './zip';
import { finishImport, ImportRefused, type Collected } from './summary';
import { drawRect, rgbaToPixels } from './resize';
import { DEFAULT_IMPORT } from '../../../domain';
import { loadDatasetNode } from '../loadNode';

const DATA = ['public/datasets', '../shared/data', '/work/shared/data'];

describe('layout of an imported folder', () => {
  it('sorts class names by code point, as Python sorted() does', () => {
    // UTF-16 order would put U+FF21 (fullwidth A) after U+1F600 (an emoji, stored as surrogates D83D…); code points put it first.
    const names = ['b', 'B', '😀', 'Ａ', 'a', 'Z'];
    expect([...names].sort(byCodePoint)).toEqual(['B', 'Z', 'a', 'b', 'Ａ', '😀']);
    expect([...names].sort()).not.toEqual([...names].sort(byCodePoint));
  });

  it('drops the picked folder, finds classes, skips clutter and files outside class folders', () => {
    const l = detectLayout(['pics/dog/1.png', 'pics/cat/2.jpg', 'pics/readme.txt', 'pics/.DS_Store', 'pics/__MACOSX/cat/._2.jpg', 'pics/cat/Thumbs.db'], true);
    expect(l.classNames).toEqual(['cat', 'dog']);
    expect(l.split).toBe('stratified');
    expect(l.place('pics/dog/1.png')).toEqual({ kind: 'image', className: 'dog', split: null });
    expect(l.place('pics/readme.txt')).toEqual({ kind: 'outside-classes' });
    expect(l.place('pics/cat/Thumbs.db')).toEqual({ kind: 'clutter' });
    expect(isClutter('x/._a.png') && isClutter('__MACOSX/a/b.png') && !isClutter('a/b.png')).toBe(true);
  });

  it('uses train/ and test/ (or val/) folders as the split; a zip wrapper folder is dropped', () => {
    const l = detectLayout(['set/train/cat/1.png', 'set/train/dog/2.png', 'set/val/cat/3.png', 'set/val/dog/4.png'], false);
    expect(l.split).toBe('folders');
    expect(l.classNames).toEqual(['cat', 'dog']);
    expect(l.place('set/val/dog/4.png')).toEqual({ kind: 'image', className: 'dog', split: 'test' });
    const flat = detectLayout(['cat/1.png', 'cat/2.png'], false);
    expect(flat.classNames).toEqual(['cat']); // not mistaken for a wrapper folder
  });
});

describe('magic bytes, not extensions', () => {
  const png = (w: number, h: number) => { const p = new PNG({ width: w, height: h }); return new Uint8Array(PNG.sync.write(p)); };
  it('reads PNG, GIF and BMP sizes from their headers', () => {
    expect(sniff(png(7, 5))).toEqual({ kind: 'png', width: 7, height: 5 });
    const gif = new Uint8Array([...Buffer.from('GIF89a'), 3, 0, 2, 0, 0, 0, 0]);
    expect(sniff(gif)).toEqual({ kind: 'gif', width: 3, height: 2 });
  });
  it('reads a real JPEG’s size (ImageMagick) and names HEIC, TIFF, text and empty files', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sniff-'));
    execFileSync('convert', ['-size', '30x20', 'xc:red', path.join(dir, 'a.jpg')]);
    execFileSync('convert', ['-size', '4x4', 'xc:red', path.join(dir, 'a.tiff')]);
    expect(sniff(new Uint8Array(readFileSync(path.join(dir, 'a.jpg'))))).toEqual({ kind: 'jpeg', width: 30, height: 20 });
    expect(sniff(new Uint8Array(readFileSync(path.join(dir, 'a.tiff'))))).toEqual({ kind: 'unsupported', format: 'TIFF' });
    const heic = new Uint8Array(24); heic.set(Buffer.from('ftypheic'), 4);
    expect(sniff(heic)).toEqual({ kind: 'unsupported', format: 'HEIC' });
    expect(sniff(new Uint8Array(Buffer.from('hello, this is not a png\n')))).toEqual({ kind: 'not-image', looksLike: 'text' });
    expect(sniff(new Uint8Array(0))).toEqual({ kind: 'empty' });
  });
});

describe('stratified split', () => {
  it('holds out round(share·n) of each class, independent of order, with duplicates on one side', () => {
    const labels = new Uint8Array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const keys = Uint32Array.from(labels, (_, i) => (i * 2654435761) >>> 0);
    keys[1] = keys[0]; // an exact duplicate
    const s = stratifiedSplit(labels, keys, 2, 0.2, 7);
    expect(s.filter((v, i) => v === 2 && labels[i] === 1).length).toBe(2);
    expect(s[0]).toBe(s[1]);
    const rev = stratifiedSplit(labels.slice().reverse(), keys.slice().reverse(), 2, 0.2, 7);
    expect(Array.from(rev).reverse()).toEqual(Array.from(s));
    expect(stratifiedSplit(labels, keys, 2, 0.2, 8)).not.toEqual(s);
  });
});

describe('zip reading (fflate)', () => {
  const caps = { maxEntries: 100, maxFileBytes: 1 << 20, maxInflatedBytes: 4 << 20 };
  it('skips and reports ../ and absolute entries', async () => {
    expect(safeEntryPath('a/../../x.png')).toBeNull();
    expect(safeEntryPath('/etc/passwd')).toBeNull();
    expect(safeEntryPath('a\\b.png')).toBe('a/b.png');
    const z = zipSync({ 'a/1.png': new Uint8Array([1]), '../x.png': new Uint8Array([2]) });
    const seen: string[] = [];
    const r = await readZip(new Blob([z]), 'z.zip', caps, async (e) => { seen.push(e.path); });
    expect(seen).toEqual(['a/1.png']);
    expect(r.unsafe).toEqual(['../x.png']);
  });
  it('stops a zip bomb at the per-entry and total caps, and too many entries', async () => {
    const bomb = zipSync({ 'a/b.png': new Uint8Array(2 << 20) }, { level: 9 });
    await expect(readZip(new Blob([bomb]), 'bomb.zip', caps, async () => undefined)).rejects.toThrow(/inflates past 1 MB.*zip bomb/);
    const many = zipSync(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a/${i}.png`, new Uint8Array(900_000)])), { level: 9 });
    await expect(readZip(new Blob([many]), 'many.zip', caps, async () => undefined)).rejects.toThrow(/past 4 MB in total/);
    const lots = zipSync(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`a/${i}.png`, new Uint8Array(1)])));
    await expect(readZip(new Blob([lots]), 'lots.zip', caps, async () => undefined)).rejects.toThrow(ZipRefused);
  });
});

describe('resize geometry and colour', () => {
  it('crops the centre and pads to fit', () => {
    expect(drawRect(40, 20, 10, 10, 'crop')).toEqual({ sx: 10, sy: 0, sw: 20, sh: 20, dx: 0, dy: 0, dw: 10, dh: 10 });
    expect(drawRect(40, 20, 10, 10, 'pad')).toEqual({ sx: 0, sy: 0, sw: 40, sh: 20, dx: 0, dy: 2.5, dw: 10, dh: 5 });
  });
  it('converts to greyscale by BT.601 luma', () => {
    const out = new Uint8Array(1);
    rgbaToPixels(new Uint8Array([255, 0, 0, 255]), 'grey', out, 0);
    expect(out[0]).toBe(76);
  });
});

function collected(labels: number[], classNames: string[], extra: Partial<Collected> = {}): Collected {
  return {
    name: 'pics', settings: DEFAULT_IMPORT, split: 'stratified', classNames, labels, folderSplits: labels.map(() => 0),
    keys: labels.map((_, i) => i * 7919), hashes: labels.map((_, i) => `h${i}`), paths: labels.map((l, i) => `${classNames[l]}/${i}.png`),
    skips: [], clutter: 0, mixedSizes: 0, mixedChannels: 0, ...extra,
  };
}

describe('finishing an import', () => {
  it('refuses one class, images in the root, and nothing usable, naming the fix', () => {
    expect(() => finishImport(collected([0, 0], ['cat']))).toThrow(/only one class with images \("cat"\).*Add a folder/);
    expect(() => finishImport(collected([], [], { skips: [{ path: 'a.png', reason: 'outside-classes', detail: 'x' }] }))).toThrow(/in the root with no class folders/);
    expect(() => finishImport(collected([], ['a', 'b']))).toThrow(ImportRefused);
  });
  it('leaves empty classes out, flags small ones, finds leaks across train/ and test/', () => {
    const labels = [0, 0, 2, 2, 2];
    const f = finishImport(collected(labels, ['a', 'empty', 'c'], {
      split: 'folders', folderSplits: [1, 2, 1, 1, 2], hashes: ['x', 'x', 'y', 'z', 'w'],
    }));
    expect(f.summary.classNames).toEqual(['a', 'c']);
    expect(f.summary.emptyClasses).toEqual(['empty']);
    expect(Array.from(f.labels)).toEqual([0, 0, 1, 1, 1]);
    expect(f.summary.duplicates.leaks).toBe(1);
    expect(f.summary.fewClasses).toEqual(['a', 'c']);
    // The fingerprint text does not depend on the order images were read in.
    const g = finishImport(collected([2, 2, 2, 0, 0], ['a', 'empty', 'c'], { split: 'folders', folderSplits: [2, 1, 1, 2, 1], hashes: ['w', 'z', 'y', 'x', 'x'] }));
    expect(g.fingerprintText).toBe(f.fingerprintText);
  });
});

describe('real images', () => {
  it('a real CIFAR-10 image written as PNG sniffs as a 32×32 PNG', async () => {
    const dir = DATA.find((d) => { try { readFileSync(path.join(d, 'cifar10', 'manifest.json')); return true; } catch { return false; } });
    if (!dir) throw new Error('cifar10 not prepared: run npm run datasets');
    const ds = await loadDatasetNode(dir, 'cifar10', { trainLimit: 0, testLimit: 1 });
    const p = new PNG({ width: 32, height: 32 });
    for (let i = 0; i < 1024; i++) { p.data[4 * i] = ds.test.images[3 * i]; p.data[4 * i + 1] = ds.test.images[3 * i + 1]; p.data[4 * i + 2] = ds.test.images[3 * i + 2]; p.data[4 * i + 3] = 255; }
    expect(sniff(new Uint8Array(PNG.sync.write(p)))).toEqual({ kind: 'png', width: 32, height: 32 });
  });
});
