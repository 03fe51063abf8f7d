/**
 * The end of an import, as pure functions: classes without images are left out (indices of the
 * rest stay in code-point order), the split is made, duplicates and leaks are found, the
 * summary is filled in, and the text the fingerprint hashes is written.
 */
import type { ImportSettings, ImportSummary, SkippedGroup, SkipReason } from '../../../domain';
import { IMPORT_LIMITS } from '../../../domain';
import { stratifiedSplit } from './split';

/** Per reason: what the skipped files are (`one`: the same for a single file) and the fix. */
export const SKIP_TEXT: Record<SkipReason, { text: string; one: string; fix: string }> = {
  empty: { text: 'empty files', one: 'empty file', fix: 'Copy them again from where they came from, or remove them.' },
  'not-image': { text: 'not images (their bytes are text or another format, whatever the extension)', one: 'not an image (its bytes are text or another format, whatever the extension)', fix: 'Remove them, or replace them with PNG or JPEG files.' },
  unsupported: { text: 'HEIC, AVIF or TIFF images, which the studio cannot decode here', one: 'HEIC, AVIF or TIFF image, which the studio cannot decode here', fix: 'Convert them to JPEG or PNG (e.g. Preview → Export, or ImageMagick: convert in.heic out.jpg) and import again.' },
  'too-large': { text: 'files over the 64 MB limit for one image (not read)', one: 'file over the 64 MB limit for one image (not read)', fix: 'Downscale them (they are resized to a few dozen pixels anyway) or remove them.' },
  'too-many-pixels': { text: 'images whose header claims more than 40 megapixels (not decoded)', one: 'image whose header claims more than 40 megapixels (not decoded)', fix: 'Downscale them below 40 megapixels and import again.' },
  corrupt: { text: 'images that cannot be decoded (truncated or corrupt)', one: 'image that cannot be decoded (truncated or corrupt)', fix: 'Re-export or re-download them, or remove them.' },
  'outside-classes': { text: 'files outside any class folder', one: 'file outside any class folder', fix: 'Move each image into the folder of its class (<root>/<class>/<image>).' },
  'unsafe-path': { text: 'zip entries whose path leaves the archive (../ or absolute), skipped for safety', one: 'zip entry whose path leaves the archive (../ or absolute), skipped for safety', fix: 'Re-create the zip from the folder itself.' },
  'zip-entry': { text: 'zip entries that could not be read', one: 'zip entry that could not be read', fix: 'Re-create the zip.' },
};

const MAX_LISTED = 50;

/** Groups skipped files by reason, in a fixed order. */
export function groupSkipped(skips: { path: string; reason: SkipReason; detail: string }[]): SkippedGroup[] {
  const out: SkippedGroup[] = [];
  for (const reason of Object.keys(SKIP_TEXT) as SkipReason[]) {
    const these = skips.filter((s) => s.reason === reason);
    if (!these.length) continue;
    const { text, one, fix } = SKIP_TEXT[reason];
    out.push({ reason, text: these.length === 1 ? one : text, fix, count: these.length, files: these.slice(0, MAX_LISTED).map((s) => `${s.path} ${s.detail}`) });
  }
  return out;
}

export interface Collected {
  name: string;
  settings: ImportSettings;
  split: 'folders' | 'stratified';
  /** Every class folder seen, in code-point order. */
  classNames: string[];
  /** Per accepted image: class index into classNames, split from folders (1 train, 2 test, 0 none), content key and hash, path. */
  labels: number[];
  folderSplits: number[];
  keys: number[];
  hashes: string[];
  paths: string[];
  skips: { path: string; reason: SkipReason; detail: string }[];
  clutter: number;
  mixedSizes: number;
  mixedChannels: number;
}

export class ImportRefused extends Error {}

export interface Finished {
  labels: Uint8Array;
  splits: Uint8Array;
  summary: Omit<ImportSummary, 'id' | 'fingerprint' | 'importedAt' | 'importMs'>;
  /** What the fingerprint hashes: settings, classes, and one line per image (hash, label, split), sorted. */
  fingerprintText: string;
}

const quote = (s: string) => JSON.stringify(s);

/** @throws ImportRefused naming the problem and the fix (no images, no class folders, one class). */
export function finishImport(c: Collected): Finished {
  const n = c.labels.length;
  const counts = c.classNames.map((_, k) => c.labels.filter((l) => l === k).length);
  const emptyClasses = c.classNames.filter((_, k) => counts[k] === 0);
  const kept = c.classNames.filter((_, k) => counts[k] > 0);
  const outside = c.skips.filter((s) => s.reason === 'outside-classes').length;
  if (n === 0) {
    if (outside > 0 && c.classNames.length === 0) {
      throw new ImportRefused(`${c.name}: its ${outside} image${outside > 1 ? 's lie' : ' lies'} in the root with no class folders. Put each class's images in a folder named after the class (${c.name}/cat/1.png, ${c.name}/dog/2.png, …) and import again.`);
    }
    const why = c.skips.length ? ` ${c.skips.length} file${c.skips.length > 1 ? 's were' : ' was'} skipped (first: ${c.skips[0].path} ${c.skips[0].detail}).` : '';
    throw new ImportRefused(`${c.name}: no usable image was found.${why} Pick a folder laid out as <root>/<class>/<image> with PNG, JPEG, WebP, BMP or GIF files.`);
  }
  if (kept.length < 2) {
    throw new ImportRefused(`${c.name}: has only one class with images (${quote(kept[0])}); a classifier needs at least two. Add a folder of images for each other class and import again.`);
  }
  const remap = new Map(c.classNames.map((name, k) => [k, kept.indexOf(name)]));
  const labels = Uint8Array.from(c.labels, (l) => remap.get(l)!);
  const keys = Uint32Array.from(c.keys);
  const splits = c.split === 'folders' ? Uint8Array.from(c.folderSplits) : stratifiedSplit(labels, keys, kept.length, c.settings.testShare, c.settings.seed);
  const trainPerClass = kept.map(() => 0);
  const testPerClass = kept.map(() => 0);
  for (let i = 0; i < n; i++) (splits[i] === 2 ? testPerClass : trainPerClass)[labels[i]]++;

  const byHash = new Map<string, number[]>();
  c.hashes.forEach((h, i) => { const g = byHash.get(h); if (g) g.push(i); else byHash.set(h, [i]); });
  let dupCount = 0; let leaks = 0;
  const examples: string[][] = []; const leakExamples: string[][] = [];
  for (const g of byHash.values()) {
    if (g.length < 2) continue;
    dupCount += g.length - 1;
    if (examples.length < 10) examples.push(g.map((i) => c.paths[i]));
    const sides = new Set(g.map((i) => splits[i]));
    if (sides.size > 1) { leaks += g.length - 1; if (leakExamples.length < 10) leakExamples.push(g.map((i) => c.paths[i])); }
  }
  const withinClass = kept.map((className, k) => {
    const own = c.hashes.filter((_, i) => labels[i] === k);
    return { className, images: own.length, distinct: new Set(own).size };
  }).filter((d) => d.distinct < d.images);
  const lines = c.hashes.map((h, i) => `${h} ${labels[i]} ${splits[i]}`).sort();
  const { height, width, colour, resize } = c.settings;
  const fingerprintText = [JSON.stringify({ height, width, colour, resize, split: c.split, testShare: c.split === 'folders' ? null : c.settings.testShare, seed: c.split === 'folders' ? null : c.settings.seed }),
    JSON.stringify(kept), ...lines].join('\n');
  const shape: [number, number, number] = [height, width, colour === 'rgb' ? 3 : 1];
  return {
    labels, splits, fingerprintText,
    summary: {
      name: c.name, classNames: kept, shape, settings: c.settings, split: c.split, trainPerClass, testPerClass,
      skipped: groupSkipped(c.skips), clutter: c.clutter,
      duplicates: { count: dupCount, examples, leaks, leakExamples, withinClass },
      fewClasses: kept.filter((_, k) => trainPerClass[k] < IMPORT_LIMITS.fewImages),
      emptyClasses, mixedSizes: c.mixedSizes, mixedChannels: c.mixedChannels, bytes: n * height * width * shape[2],
    },
  };
}
