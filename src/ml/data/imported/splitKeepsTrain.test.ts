/**
 * The split of an import whose class is all copies of one picture (real 8×8 digits written as
 * PNG, hashed as the import worker hashes them: SHA-256, first four bytes as the key).
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { PNG } from 'pngjs';
import { DEFAULT_IMPORT, nOf } from '../../../domain';
import { loadDatasetNode } from '../loadNode';
import { stratifiedSplit } from './split';
import { finishImport, groupSkipped, type Collected } from './summary';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../../../shared/data');

async function digitPngs(n: number): Promise<Uint8Array[]> {
  const ds = await loadDatasetNode(DATA, 'digits', { trainLimit: n, testLimit: 0 });
  return Array.from({ length: n }, (_, i) => {
    const p = new PNG({ width: 8, height: 8 });
    for (let j = 0; j < 64; j++) { const v = Math.round((ds.train.images[i * 64 + j] * 255) / ds.pixelMax); p.data.set([v, v, v, 255], 4 * j); }
    return new Uint8Array(PNG.sync.write(p));
  });
}

const hashOf = (b: Uint8Array) => { const d = createHash('sha256').update(b).digest(); return { hex: d.toString('hex'), key: d.readUInt32BE(0) }; };

function collect(files: { cls: number; bytes: Uint8Array; path: string }[], classNames: string[], seed: number): Collected {
  const h = files.map((f) => hashOf(f.bytes));
  return {
    name: 'pics', settings: { ...DEFAULT_IMPORT, seed, testShare: 0.2 }, split: 'stratified', classNames,
    labels: files.map((f) => f.cls), folderSplits: files.map(() => 0), keys: h.map((x) => x.key), hashes: h.map((x) => x.hex),
    paths: files.map((f) => f.path), skips: [], clutter: 0, mixedSizes: 0, mixedChannels: 0,
  };
}

describe('a split keeps a training image in every class', () => {
  it('a class of five copies of one picture stays in train, and the copies are reported per class', async () => {
    const pngs = await digitPngs(13);
    const files = [
      ...Array.from({ length: 5 }, (_, i) => ({ cls: 0, bytes: pngs[0], path: `bird/${i}.png` })), // Finder "Duplicate", five times
      ...pngs.slice(1, 12).map((bytes, i) => ({ cls: 1, bytes, path: `cat/${i}.png` })),
      { cls: 2, bytes: pngs[12], path: 'dog/only.png' },
    ];
    for (let seed = 1; seed <= 40; seed++) {
      const f = finishImport(collect(files, ['bird', 'cat', 'dog'], seed));
      expect(f.summary.trainPerClass[0]).toBe(5);
      expect(f.summary.trainPerClass[2]).toBe(1);
      expect(f.summary.trainPerClass[1] + f.summary.testPerClass[1]).toBe(11);
      expect(f.summary.testPerClass[1]).toBe(2);
      expect(f.summary.duplicates.withinClass).toEqual([{ className: 'bird', images: 5, distinct: 1 }]);
      expect(f.summary.duplicates.leaks).toBe(0);
    }
  });

  it('a class of one image keeps it in train even when its share of test rounds to one', () => {
    const labels = new Uint8Array([0, 1, 1, 1]);
    const keys = new Uint32Array([11, 22, 33, 44]);
    for (let seed = 1; seed <= 20; seed++) {
      const s = stratifiedSplit(labels, keys, 2, 0.5, seed);
      expect(s[0]).toBe(1);
      expect(Array.from(s.slice(1)).filter((v) => v === 2).length).toBeGreaterThanOrEqual(1);
    }
  });

  it('counts read in the singular for one', () => {
    expect(nOf(1, 'image')).toBe('1 image');
    expect(nOf(1200, 'image')).toBe('1,200 images');
    const g = groupSkipped([{ path: 'a/x.png', reason: 'empty', detail: '(0 bytes)' }, { path: 'a/y.txt', reason: 'not-image', detail: '' }, { path: 'a/z.txt', reason: 'not-image', detail: '' }]);
    expect(g.map((x) => `${x.count} ${x.text}`)).toEqual(['1 empty file', '2 not images (their bytes are text or another format, whatever the extension)']);
  });
});
