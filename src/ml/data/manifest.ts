/**
 * The dataset manifest (`public/datasets/<id>/manifest.json`, format of ../shared/data/README.md)
 * and its validation. Parsing never trusts the JSON: every field the loaders use is checked and
 * a bad one is reported as `<id>/manifest.json: <field> …`.
 */
import { DatasetError } from './errors';

export type ImageEncoding = 'gzip-raw' | 'raw' | 'png-tiles';

export interface FileEntry {
  path: string;
  /** Size and SHA-256 of the file as stored. */
  bytes: number;
  sha256: string;
}

export interface ImageFileEntry extends FileEntry {
  /** Size and SHA-256 of the decoded N×H×W×C uint8 pixels (absent for encoding 'raw', where they equal bytes/sha256). */
  rawBytes?: number;
  rawSha256?: string;
  /** Index in the split of the first image of this file, and how many images it holds. */
  firstIndex: number;
  count: number;
  /** png-tiles only: sheet size in pixels. */
  width?: number;
  height?: number;
}

export interface TileLayout {
  tileWidth: number;
  tileHeight: number;
  channels: number;
  columns: number;
  rows: number;
}

export interface ImagesSpec {
  encoding: ImageEncoding;
  files: ImageFileEntry[];
  /** Present when encoding is 'png-tiles'. */
  tiles?: TileLayout;
}

export interface SplitSpec {
  count: number;
  classCounts: number[];
  images: ImagesSpec;
  labels: FileEntry;
}

export interface DatasetManifest {
  name: string;
  numClasses: number;
  classNames: string[];
  /** [height, width, channels] of one image. */
  imageShape: [number, number, number];
  pixelRange: [number, number];
  splits: Record<string, SplitSpec>;
}

type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isSha = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);

/** Expected size and SHA-256 of the decoded pixels of one image file. */
export function expectedRaw(file: ImageFileEntry, encoding: ImageEncoding): { bytes: number; sha256: string } {
  if (encoding === 'raw') return { bytes: file.bytes, sha256: file.sha256 };
  return { bytes: file.rawBytes as number, sha256: file.rawSha256 as string };
}

/**
 * Validates a parsed manifest.json. `where` names it in errors (e.g. "mnist/manifest.json").
 * @throws DatasetError naming the manifest and the bad field.
 */
export function parseManifest(json: unknown, where: string): DatasetManifest {
  const fail = (field: string, what: string): never => {
    throw new DatasetError(where, `${field} ${what}; re-run npm run datasets`);
  };
  if (!isObj(json)) return fail('the file', 'is not a JSON object');
  const { name, numClasses, classNames, imageShape, pixelRange, splits } = json;
  if (typeof name !== 'string') fail('name', 'is missing');
  if (!isCount(numClasses) || numClasses < 2) fail('numClasses', 'must be an integer ≥ 2');
  if (!Array.isArray(classNames) || classNames.length !== numClasses || !classNames.every((c) => typeof c === 'string')) {
    fail('classNames', `must be ${String(numClasses)} strings`);
  }
  if (!Array.isArray(imageShape) || imageShape.length !== 3 || !imageShape.every((d) => isCount(d) && d > 0)) {
    fail('imageShape', 'must be [height, width, channels]');
  }
  if (!Array.isArray(pixelRange) || pixelRange.length !== 2 || !pixelRange.every(isCount) || pixelRange[1] > 255) {
    fail('pixelRange', 'must be [min, max] within 0..255');
  }
  if (!isObj(splits) || Object.keys(splits).length === 0) return fail('splits', 'is missing');
  const shape = imageShape as [number, number, number];
  const parsed: Record<string, SplitSpec> = {};
  for (const [key, s] of Object.entries(splits)) {
    parsed[key] = parseSplit(s, `splits.${key}`, shape, numClasses as number, fail);
  }
  return {
    name: name as string, numClasses: numClasses as number, classNames: classNames as string[],
    imageShape: shape, pixelRange: pixelRange as [number, number], splits: parsed,
  };
}

function parseFile(f: unknown, field: string, fail: (field: string, what: string) => never): FileEntry {
  if (!isObj(f) || typeof f.path !== 'string' || !/^[\w.-]+$/.test(f.path)) return fail(`${field}.path`, 'must be a plain file name');
  if (!isCount(f.bytes)) fail(`${field}.bytes`, 'must be a byte count');
  if (!isSha(f.sha256)) fail(`${field}.sha256`, 'must be a SHA-256 hex string');
  return { path: f.path, bytes: f.bytes as number, sha256: f.sha256 as string };
}

function parseSplit(
  s: unknown, field: string, shape: [number, number, number], numClasses: number,
  fail: (field: string, what: string) => never,
): SplitSpec {
  if (!isObj(s) || !isCount(s.count) || s.count === 0) return fail(`${field}.count`, 'must be a positive integer');
  const count = s.count;
  const classCounts = s.classCounts;
  if (!Array.isArray(classCounts) || classCounts.length !== numClasses || !classCounts.every(isCount)) {
    fail(`${field}.classCounts`, `must be ${String(numClasses)} counts`);
  }
  const images = s.images;
  if (!isObj(images)) return fail(`${field}.images`, 'is missing');
  const encoding = images.encoding;
  if (encoding !== 'gzip-raw' && encoding !== 'raw' && encoding !== 'png-tiles') {
    return fail(`${field}.images.encoding`, `"${String(encoding)}" is not gzip-raw, raw or png-tiles`);
  }
  let tiles: TileLayout | undefined;
  if (encoding === 'png-tiles') {
    const [tileWidth, tileHeight, channels, columns, rows] =
      [images.tileWidth, images.tileHeight, images.channels, images.columns, images.rows];
    if (![tileWidth, tileHeight, channels, columns, rows].every((v) => isCount(v) && v > 0)) {
      fail(`${field}.images`, 'needs tileWidth, tileHeight, channels, columns and rows for png-tiles');
    }
    tiles = { tileWidth, tileHeight, channels, columns, rows } as TileLayout;
    if (tileHeight !== shape[0] || tileWidth !== shape[1] || channels !== shape[2] || channels > 4) {
      fail(`${field}.images`, 'tile size and channels must match imageShape');
    }
  }
  if (!Array.isArray(images.files) || images.files.length === 0) return fail(`${field}.images.files`, 'is missing');
  const imageBytes = shape[0] * shape[1] * shape[2];
  let next = 0;
  const files = images.files.map((f: unknown, i: number): ImageFileEntry => {
    const ff = `${field}.images.files[${i}]`;
    const base = parseFile(f, ff, fail);
    const o = f as Json;
    if (o.firstIndex !== next || !isCount(o.count) || o.count === 0) fail(ff, `must continue at image ${next} with a positive count`);
    const entry: ImageFileEntry = { ...base, firstIndex: next, count: o.count as number };
    next += entry.count;
    if (encoding !== 'raw') {
      if (!isSha(o.rawSha256) || o.rawBytes !== entry.count * imageBytes) fail(ff, 'needs rawBytes = count×H×W×C and rawSha256');
      entry.rawBytes = o.rawBytes as number;
      entry.rawSha256 = o.rawSha256 as string;
    } else if (entry.bytes !== entry.count * imageBytes) {
      fail(`${ff}.bytes`, 'must be count×H×W×C for raw images');
    }
    if (tiles) {
      const t = tiles;
      if (!isCount(o.width) || !isCount(o.height) || o.width < t.columns * t.tileWidth
        || entry.count > t.columns * t.rows || o.height < Math.ceil(entry.count / t.columns) * t.tileHeight) {
        fail(ff, 'width/height do not fit the tile grid');
      }
      entry.width = o.width as number;
      entry.height = o.height as number;
    }
    return entry;
  });
  if (next !== count) fail(`${field}.images.files`, `hold ${next} images, expected ${count}`);
  const labels = parseFile(s.labels, `${field}.labels`, fail);
  if (labels.bytes !== count) fail(`${field}.labels.bytes`, `must be ${count} (one byte per image)`);
  return { count, classCounts: classCounts as number[], images: { encoding, files, tiles }, labels };
}
