/**
 * The datasets a worker has loaded, one copy each. A subset (`trainLimit` / `testLimit`) is the
 * first images of each split (built-ins in file order, imports interleaved by class), so a load
 * that holds at least the images a request asks for answers it with views of its first images
 * (`subarray`, no copy). Without this the baseline (all images) and a pilot (its limits) kept two
 * copies: 2 × 143 MB for 1,000 photos at 224 px.
 */
import type { Dataset, Split } from '../ml/types';

export interface Limits { trainLimit: number; testLimit: number }

interface Entry { dataset: string; limits: Limits; p: Promise<Dataset>; ds: Dataset | null }

/** Whether a split loaded with `limit` (0 = all) and holding `count` images can give `want`. */
function splitCovers(limit: number, count: number, want: number): boolean {
  const complete = limit === 0 || count < limit;
  return complete || (want !== 0 && want <= count);
}

function covers(e: { limits: Limits; ds: Dataset }, want: Limits): boolean {
  return splitCovers(e.limits.trainLimit, e.ds.train.count, want.trainLimit) && splitCovers(e.limits.testLimit, e.ds.test.count, want.testLimit);
}

function prefix(s: Split, want: number): Split {
  const n = want ? Math.min(want, s.count) : s.count;
  if (n === s.count) return s;
  const size = s.images.length / Math.max(1, s.count);
  return { images: s.images.subarray(0, n * size), labels: s.labels.subarray(0, n), count: n };
}

/** `ds` cut to `want`'s limits (the same object when nothing is cut). */
export function datasetPrefix(ds: Dataset, want: Limits): Dataset {
  const train = prefix(ds.train, want.trainLimit);
  const test = prefix(ds.test, want.testLimit);
  return train === ds.train && test === ds.test ? ds : { ...ds, train, test };
}

export class DatasetCache {
  private entries: Entry[] = [];

  /** Dataset `dataset` with `want`'s limits: from a load that covers them, else from `load` (kept). */
  async get(dataset: string, want: Limits, load: () => Promise<Dataset>): Promise<Dataset> {
    for (;;) {
      const hit = this.entries.find((e) => e.dataset === dataset && e.ds && covers(e as Entry & { ds: Dataset }, want));
      if (hit) return datasetPrefix(hit.ds!, want);
      const same = this.entries.find((e) => e.dataset === dataset && !e.ds && e.limits.trainLimit === want.trainLimit && e.limits.testLimit === want.testLimit);
      if (same) return datasetPrefix(await same.p, want);
      const pending = this.entries.find((e) => e.dataset === dataset && !e.ds);
      if (!pending) break;
      // Another load of this dataset is under way: it may cover this request.
      await pending.p.catch(() => undefined);
    }
    const entry: Entry = { dataset, limits: { ...want }, p: load(), ds: null };
    this.entries.push(entry);
    try {
      entry.ds = await entry.p;
    } catch (e) {
      this.entries = this.entries.filter((x) => x !== entry);
      throw e;
    }
    // Loads this one covers are dropped: their users keep their copy until they finish.
    const ds = entry.ds;
    this.entries = this.entries.filter((x) => x === entry || x.dataset !== dataset || !x.ds || !covers({ limits: entry.limits, ds }, x.limits));
    return ds;
  }

  /** Loads held (tests). */
  get size(): number {
    return this.entries.length;
  }
}
