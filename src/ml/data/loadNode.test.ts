import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { classBalance } from './batches';
import { DatasetError } from './errors';
import { loadDatasetNode } from './loadNode';
import { parseManifest } from './manifest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const manifestOf = (id: string) => parseManifest(JSON.parse(readFileSync(path.join(DATA, id, 'manifest.json'), 'utf8')), id);

const tmp = mkdtempSync(path.join(tmpdir(), 'rtk-data-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of dataset `id` (only the named files) in a fresh folder; returns the folder. */
function copyOf(id: string, files: string[]): string {
  const dir = mkdtempSync(path.join(tmp, 'ds-'));
  cpSync(path.join(DATA, id, 'manifest.json'), path.join(dir, id, 'manifest.json'));
  for (const f of files) copyFileSync(path.join(DATA, id, f), path.join(dir, id, f));
  return dir;
}

describe('loadDatasetNode on real data', () => {
  it('loads digits in full: 1437 train + 360 test images of 8×8, pixels 0..16', async () => {
    const ds = await loadDatasetNode(DATA, 'digits');
    expect(ds.shape).toEqual([8, 8, 1]);
    expect(ds.pixelMax).toBe(16);
    expect([ds.train.count, ds.test.count]).toEqual([1437, 360]);
    expect(ds.train.images.length).toBe(1437 * 64);
    expect(Math.max(...ds.test.images)).toBe(16);
    const all = classBalance(ds.train, 10).map((n, c) => n + classBalance(ds.test, 10)[c]);
    expect(all).toEqual(manifestOf('digits').splits.all.classCounts);
  });

  it('loads MNIST train and test with checksums, matching the official class counts', async () => {
    const progress: number[] = [];
    const ds = await loadDatasetNode(DATA, 'mnist', { onProgress: (_m, f) => progress.push(f) });
    expect([ds.train.count, ds.test.count]).toEqual([60000, 10000]);
    expect(ds.test.images.length).toBe(10000 * 784);
    const m = manifestOf('mnist');
    expect(classBalance(ds.train, 10)).toEqual(m.splits.train.classCounts);
    expect(classBalance(ds.test, 10)).toEqual(m.splits.test.classCounts);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true);
  });

  it('trainLimit/testLimit keep the first N images; 0 skips a split', async () => {
    const full = await loadDatasetNode(DATA, 'mnist', { trainLimit: 0 });
    const ds = await loadDatasetNode(DATA, 'mnist', { trainLimit: 0, testLimit: 100 });
    expect(ds.train.count).toBe(0);
    expect(ds.test.count).toBe(100);
    expect(ds.test.images).toEqual(full.test.images.subarray(0, 100 * 784));
    expect(ds.test.labels).toEqual(full.test.labels.subarray(0, 100));
  });

  it('decodes the CIFAR-10 test sheet with pngjs bit-exactly (rawSha256)', async () => {
    const f = manifestOf('cifar10').splits.test.images.files[0];
    const ds = await loadDatasetNode(DATA, 'cifar10', { trainLimit: 0 }); // pngjs decode + tile extraction
    expect(ds.test.count).toBe(10000);
    expect(sha(ds.test.images)).toBe(f.rawSha256);
    expect(Array.from(ds.test.images.subarray(0, 3))).toEqual([158, 112, 49]); // first pixel of test[0], a cat
    expect(ds.test.labels[0]).toBe(3);
    expect(classBalance(ds.test, 10)).toEqual(Array(10).fill(1000));
  });
});

describe('loadDatasetNode errors name the file and the fix', () => {
  it('a flipped byte in the pixels gives a checksum mismatch', async () => {
    const dir = copyOf('digits', ['images.u8', 'labels.u8']);
    const file = path.join(dir, 'digits', 'images.u8');
    const bytes = readFileSync(file);
    bytes[1000] ^= 1;
    writeFileSync(file, bytes);
    await expect(loadDatasetNode(dir, 'digits')).rejects.toThrow(
      new DatasetError('digits/images.u8', 'checksum mismatch, re-run npm run datasets'),
    );
    await expect(loadDatasetNode(dir, 'digits')).rejects.toThrow(/^digits\/images\.u8: checksum mismatch, re-run npm run datasets$/);
  });

  it('a flipped byte in a gzip file or a label file is caught and named', async () => {
    const dir = copyOf('mnist', ['test-images.u8.gz', 'test-labels.u8']);
    const gz = path.join(dir, 'mnist', 'test-images.u8.gz');
    const bytes = readFileSync(gz);
    bytes[bytes.length >> 1] ^= 0x40;
    writeFileSync(gz, bytes);
    await expect(loadDatasetNode(dir, 'mnist', { trainLimit: 0 })).rejects.toThrow(/^mnist\/test-images\.u8\.gz: .*re-run npm run datasets$/);

    copyFileSync(path.join(DATA, 'mnist', 'test-images.u8.gz'), gz);
    const labels = path.join(dir, 'mnist', 'test-labels.u8');
    const lb = readFileSync(labels);
    lb[5] = (lb[5] + 1) % 10;
    writeFileSync(labels, lb);
    await expect(loadDatasetNode(dir, 'mnist', { trainLimit: 0 })).rejects.toThrow('mnist/test-labels.u8: checksum mismatch, re-run npm run datasets');
  });

  it('a missing file says to run npm run datasets', async () => {
    const dir = copyOf('mnist', ['test-images.u8.gz']);
    const err = await loadDatasetNode(dir, 'mnist', { trainLimit: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).file).toBe('mnist/test-labels.u8');
    expect((err as Error).message).toMatch(/^mnist\/test-labels\.u8: not found in .*, run npm run datasets$/);
    await expect(loadDatasetNode(tmp, 'fashion-mnist')).rejects.toThrow(/^fashion-mnist\/manifest\.json: not found/);
  });

  it('a bad manifest names the field', () => {
    const m = JSON.parse(readFileSync(path.join(DATA, 'mnist', 'manifest.json'), 'utf8'));
    m.splits.test.images.files[0].rawSha256 = 'nope';
    expect(() => parseManifest(m, 'mnist/manifest.json')).toThrow(/^mnist\/manifest\.json: splits\.test\.images\.files\[0\] needs rawBytes/);
    expect(() => parseManifest([], 'x/manifest.json')).toThrow(DatasetError);
  });
});
