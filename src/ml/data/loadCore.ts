/**
 * Loading logic shared by the browser and Node loaders: manifest, limits, decoding order,
 * checksum verification and label checks. The loaders only supply a `DatasetIo` (how to read
 * bytes, gunzip, decode a PNG and hash), so both behave and fail the same way.
 */
import type { BuiltInDatasetId } from '../../domain';
import { DATASETS } from '../../domain';
import type { Dataset, Split } from '../types';
import { DatasetError, FIX } from './errors';
import type { DatasetManifest, ImageFileEntry, SplitSpec, TileLayout } from './manifest';
import { expectedRaw, parseManifest } from './manifest';

export interface LoadOptions {
  /** Keep only the first N training images (0 = load no training data). Default: all. */
  trainLimit?: number;
  /** Keep only the first N test images (0 = load no test data). Default: all. */
  testLimit?: number;
  /** Progress for the UI: a short message and the fraction done in [0, 1]. */
  onProgress?: (msg: string, fraction: number) => void;
}

/** Decoded PNG: RGBA bytes, 4 per pixel, row-major. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * How a loader reaches the files of one dataset. `name` is the file name from the manifest;
 * every method throws `DatasetError` (missing file: "<id>/<name>: not found, run npm run datasets").
 */
export interface DatasetIo {
  readJson(name: string): Promise<unknown>;
  readBytes(name: string): Promise<Uint8Array>;
  /** Reads and gunzips a file (a damaged gzip stream throws a DatasetError naming the file). */
  readGunzip(name: string): Promise<Uint8Array>;
  readPng(name: string): Promise<Rgba>;
  sha256Hex(bytes: Uint8Array): Promise<string>;
}

/**
 * Maps the manifest splits onto train/test. Datasets without an official split (digits has one
 * "all" split) are split in file order: the first 80 % train, the rest test.
 */
export function splitPlan(m: DatasetManifest, where: string): { train: SplitPlan; test: SplitPlan } {
  const { train, test, all } = m.splits;
  if (train && test) return { train: { spec: train, from: 0, count: train.count }, test: { spec: test, from: 0, count: test.count } };
  if (all) {
    const nTrain = Math.floor(all.count * 0.8);
    return { train: { spec: all, from: 0, count: nTrain }, test: { spec: all, from: nTrain, count: all.count - nTrain } };
  }
  throw new DatasetError(where, `needs splits "train" and "test" (or "all"); ${FIX}`);
}

/** A range [from, from + count) of the images of one manifest split. */
export interface SplitPlan {
  spec: SplitSpec;
  from: number;
  count: number;
}

/** Copies tile k of a png-tiles sheet into `out` (H×W×C bytes at `offset`), dropping channels beyond C. */
function copyTile(png: Rgba, t: TileLayout, k: number, out: Uint8Array, offset: number): void {
  const x0 = (k % t.columns) * t.tileWidth;
  const y0 = Math.floor(k / t.columns) * t.tileHeight;
  const c = t.channels;
  let o = offset;
  for (let y = 0; y < t.tileHeight; y++) {
    let p = ((y0 + y) * png.width + x0) * 4;
    for (let x = 0; x < t.tileWidth; x++, p += 4) {
      for (let ch = 0; ch < c; ch++) out[o++] = png.data[p + ch];
    }
  }
}

/** The N×H×W×C pixels of one png-tiles sheet. */
export function tilesToPixels(png: Rgba, t: TileLayout, count: number): Uint8Array {
  const imageBytes = t.tileWidth * t.tileHeight * t.channels;
  const out = new Uint8Array(count * imageBytes);
  for (let k = 0; k < count; k++) copyTile(png, t, k, out, k * imageBytes);
  return out;
}

/** Decodes one image file completely and checks its pixels against rawSha256. */
async function decodeFile(io: DatasetIo, id: BuiltInDatasetId, spec: SplitSpec, f: ImageFileEntry): Promise<Uint8Array> {
  const where = `${id}/${f.path}`;
  const { encoding, tiles } = spec.images;
  let pixels: Uint8Array;
  if (encoding === 'gzip-raw') pixels = await io.readGunzip(f.path);
  else if (encoding === 'raw') pixels = await io.readBytes(f.path);
  else {
    const png = await io.readPng(f.path);
    if (png.width !== f.width || png.height !== f.height) {
      throw new DatasetError(where, `image is ${png.width}×${png.height}, expected ${f.width}×${f.height}; ${FIX}`);
    }
    pixels = tilesToPixels(png, tiles as TileLayout, f.count);
  }
  const want = expectedRaw(f, encoding);
  if (pixels.length !== want.bytes || (await io.sha256Hex(pixels)) !== want.sha256) {
    throw new DatasetError(where, `checksum mismatch, ${FIX}`);
  }
  return pixels;
}

/**
 * Reads images [plan.from, plan.from + n) of one split. Every file that holds any of them is
 * decoded in full and verified (a partial file cannot be hashed); files past the limit are not read.
 */
async function loadSplit(
  io: DatasetIo, id: BuiltInDatasetId, m: DatasetManifest, plan: SplitPlan, n: number,
  progress: (msg: string) => void,
): Promise<Split> {
  const imageBytes = m.imageShape[0] * m.imageShape[1] * m.imageShape[2];
  const end = plan.from + n;
  const files = plan.spec.images.files.filter((f) => n > 0 && f.firstIndex < end && f.firstIndex + f.count > plan.from);
  let images: Uint8Array = new Uint8Array(0);
  if (files.length === 1 && files[0].firstIndex === plan.from && files[0].count === n) {
    progress(`${files[0].path}: decoding`);
    images = await decodeFile(io, id, plan.spec, files[0]); // the whole file is the split: no copy
  } else if (files.length > 0) {
    images = new Uint8Array(n * imageBytes);
    for (const f of files) {
      progress(`${f.path}: decoding`);
      const pixels = await decodeFile(io, id, plan.spec, f);
      const a = Math.max(plan.from, f.firstIndex);
      const b = Math.min(end, f.firstIndex + f.count);
      images.set(pixels.subarray((a - f.firstIndex) * imageBytes, (b - f.firstIndex) * imageBytes), (a - plan.from) * imageBytes);
    }
  }
  const labels = n > 0 ? (await loadLabels(io, id, m, plan.spec)).subarray(plan.from, end) : new Uint8Array(0);
  return { images, labels, count: n };
}

/** Reads a label file, checks its SHA-256 and that every label is a class index. */
async function loadLabels(io: DatasetIo, id: BuiltInDatasetId, m: DatasetManifest, spec: SplitSpec): Promise<Uint8Array> {
  const where = `${id}/${spec.labels.path}`;
  const labels = await io.readBytes(spec.labels.path);
  if (labels.length !== spec.labels.bytes || (await io.sha256Hex(labels)) !== spec.labels.sha256) {
    throw new DatasetError(where, `checksum mismatch, ${FIX}`);
  }
  const bad = labels.findIndex((l) => l >= m.numClasses);
  if (bad >= 0) throw new DatasetError(where, `label ${labels[bad]} at image ${bad} is not a class index; ${FIX}`);
  return labels;
}

const clampLimit = (limit: number | undefined, count: number, name: string): number => {
  if (limit === undefined) return count;
  if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${limit}`);
  return Math.min(limit, count);
};

/** Loads dataset `id` through `io`; see LoadOptions. Throws DatasetError naming the bad file. */
export async function loadWithIo(io: DatasetIo, id: BuiltInDatasetId, opts: LoadOptions = {}): Promise<Dataset> {
  const where = `${id}/manifest.json`;
  const report = opts.onProgress ?? (() => undefined);
  report(`${id}: reading manifest`, 0);
  const m = parseManifest(await io.readJson('manifest.json'), where);
  const info = DATASETS[id];
  if (m.imageShape.join('x') !== info.shape.join('x') || m.numClasses !== info.numClasses) {
    throw new DatasetError(where, `describes ${m.imageShape.join('×')} images in ${m.numClasses} classes, expected ${info.shape.join('×')} in ${info.numClasses}; ${FIX}`);
  }
  const plan = splitPlan(m, where);
  const nTrain = clampLimit(opts.trainLimit, plan.train.count, 'trainLimit');
  const nTest = clampLimit(opts.testLimit, plan.test.count, 'testLimit');
  const steps = Math.max(1, countFiles(plan.train, nTrain) + countFiles(plan.test, nTest));
  let done = 0;
  const progress = (msg: string) => report(`${id} ${msg}`, done++ / steps);
  const train = await loadSplit(io, id, m, plan.train, nTrain, progress);
  const test = await loadSplit(io, id, m, plan.test, nTest, progress);
  report(`${id}: ${nTrain} train and ${nTest} test images verified`, 1);
  return {
    id, shape: [...m.imageShape], numClasses: m.numClasses, classNames: [...m.classNames],
    pixelMax: m.pixelRange[1], train, test,
  };
}

function countFiles(plan: SplitPlan, n: number): number {
  return plan.spec.images.files.filter((f) => n > 0 && f.firstIndex < plan.from + n && f.firstIndex + f.count > plan.from).length;
}
