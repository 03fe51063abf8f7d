import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetNode } from '../ml/data/loadNode';
import type { Dataset } from '../ml/types';
import { DatasetCache } from './datasetCache';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');

describe('DatasetCache: one copy of a dataset per worker', () => {
  let loads: string[] = [];
  const loader = (trainLimit: number, testLimit: number) => () => {
    loads.push(`${trainLimit}:${testLimit}`);
    return loadDatasetNode(DATA, 'digits', { trainLimit: trainLimit || undefined, testLimit: testLimit || undefined });
  };
  let full: Dataset;
  beforeAll(async () => { full = await loadDatasetNode(DATA, 'digits'); });

  it('a pilot with limits after the baseline over all images gets views of the same pixels, equal to a load with those limits', async () => {
    loads = [];
    const cache = new DatasetCache();
    const all = await cache.get('digits', { trainLimit: 0, testLimit: 0 }, loader(0, 0));
    const some = await cache.get('digits', { trainLimit: 300, testLimit: 100 }, loader(300, 100));
    expect(loads).toEqual(['0:0']);
    expect(some.train.count).toBe(300);
    expect(some.test.count).toBe(100);
    expect(some.train.images.buffer).toBe(all.train.images.buffer); // no copy
    const direct = await loadDatasetNode(DATA, 'digits', { trainLimit: 300, testLimit: 100 });
    expect(Array.from(some.train.images)).toEqual(Array.from(direct.train.images));
    expect(Array.from(some.test.labels)).toEqual(Array.from(direct.test.labels));
    // A limit above the split's size is the whole split: the same object.
    expect(await cache.get('digits', { trainLimit: 30_000, testLimit: 0 }, loader(30_000, 0))).toBe(all);
    expect(loads).toEqual(['0:0']);
  });

  it('a load with limits above the split sizes answers a request for all images', async () => {
    loads = [];
    const cache = new DatasetCache();
    const big = await cache.get('digits', { trainLimit: 30_000, testLimit: 10_000 }, loader(30_000, 10_000));
    expect(big.train.count).toBe(full.train.count);
    expect(await cache.get('digits', { trainLimit: 0, testLimit: 0 }, loader(0, 0))).toBe(big);
    expect(loads).toEqual(['30000:10000']);
  });

  it('a larger request loads once more and the smaller load it covers is dropped; concurrent requests share one load', async () => {
    loads = [];
    const cache = new DatasetCache();
    await cache.get('digits', { trainLimit: 100, testLimit: 50 }, loader(100, 50));
    const [a, b] = await Promise.all([
      cache.get('digits', { trainLimit: 0, testLimit: 0 }, loader(0, 0)),
      cache.get('digits', { trainLimit: 200, testLimit: 0 }, loader(200, 0)),
    ]);
    expect(loads).toEqual(['100:50', '0:0']);
    expect(cache.size).toBe(1);
    expect(b.train.count).toBe(200);
    expect(b.train.images.buffer).toBe(a.train.images.buffer);
  });

  it('a failed load is forgotten, so the next request tries again', async () => {
    const cache = new DatasetCache();
    await expect(cache.get('digits', { trainLimit: 0, testLimit: 0 }, () => Promise.reject(new Error('disk gone')))).rejects.toThrow('disk gone');
    expect(cache.size).toBe(0);
    const ds = await cache.get('digits', { trainLimit: 0, testLimit: 0 }, loader(0, 0));
    expect(ds.train.count).toBe(full.train.count);
  });
});
