/**
 * How big an import is before it starts: the sizes offered, bytes per image, the IndexedDB
 * value size (chunk), the storage it needs against the browser's estimate, the memory the
 * training worker needs to hold it as uint8, and the size an import defaults to. Plain maths,
 * no effects.
 */
import type { ImportSettings } from './imports';

/** Sides offered for an import (square). 224 is the ImageNet teachers' size; larger ones fit when memory allows. */
export const IMPORT_SIDES = [28, 32, 48, 64, 96, 128, 160, 192, 224, 256, 299, 320, 384] as const;

/** Pixels of one stored image are kept in IndexedDB values of about this many bytes. */
export const CHUNK_TARGET_BYTES = 4 * 2 ** 20;

/**
 * The most the training worker may hold of one imported dataset as uint8 (train + test pixels):
 * 1.5 GB. Larger datasets are refused before the import starts, with a size that fits.
 */
export const MEMORY_BUDGET_BYTES = 1.5e9;

/** Bytes of the record, labels, split and summary of an import, over its pixels (a generous guess). */
export const IMPORT_OVERHEAD_BYTES = 1e6;

export const channelsOf = (s: Pick<ImportSettings, 'colour'>) => (s.colour === 'rgb' ? 3 : 1);

/** Bytes of one stored image: h × w × c, one byte a channel. */
export function bytesPerImage(s: Pick<ImportSettings, 'height' | 'width' | 'colour'>): number {
  return s.height * s.width * channelsOf(s);
}

/** Images per IndexedDB value: about CHUNK_TARGET_BYTES of pixels, at least one image. */
export function chunkImagesFor(imageBytes: number): number {
  return Math.max(1, Math.floor(CHUNK_TARGET_BYTES / Math.max(1, imageBytes)));
}

/** Bytes in decimal MB / GB as the page shows them ("181 MB", "1.5 GB"). */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} GB`;
  if (n >= 1e6) return `${Math.round(n / 1e6).toLocaleString('en-US')} MB`;
  return `${Math.max(1, Math.ceil(n / 1e3)).toLocaleString('en-US')} kB`;
}

export interface ImportNeed {
  images: number;
  /** Pixel bytes: images × h × w × c. */
  pixels: number;
  /** What IndexedDB is asked to keep: pixels + IMPORT_OVERHEAD_BYTES. */
  storage: number;
  /** Space left for this site by navigator.storage.estimate(), or null when the browser does not say. */
  free: number | null;
  quota: number | null;
  /** False when the estimate says the import cannot fit. */
  storageFits: boolean;
  /** The training worker holds the pixels as uint8: pixels ≤ MEMORY_BUDGET_BYTES. */
  memoryFits: boolean;
  /** The largest offered side whose dataset fits both budgets (same colour), or null when none does. */
  largestFit: number | null;
}

/** What an import of `images` files at `s` needs, against the browser's estimate (if any). */
export function importNeed(images: number, s: Pick<ImportSettings, 'height' | 'width' | 'colour'>, estimate: { quota?: number; usage?: number } | null): ImportNeed {
  const pixels = images * bytesPerImage(s);
  const storage = pixels + IMPORT_OVERHEAD_BYTES;
  const hasEstimate = estimate?.quota !== undefined && estimate.usage !== undefined;
  const free = hasEstimate ? Math.max(0, estimate.quota! - estimate.usage!) : null;
  const fits = (px: number) => px <= MEMORY_BUDGET_BYTES && (free === null || px + IMPORT_OVERHEAD_BYTES <= free);
  const largest = [...IMPORT_SIDES].reverse().find((side) => fits(images * side * side * channelsOf(s)));
  return {
    images, pixels, storage, free, quota: hasEstimate ? estimate.quota! : null,
    storageFits: free === null || storage <= free, memoryFits: pixels <= MEMORY_BUDGET_BYTES, largestFit: largest ?? null,
  };
}

/** The side an import starts at, and why (shown next to the size choice). */
export interface SizeDefault { side: number; reason: string }

/**
 * The default import size: the user's own teacher's input size when one is imported (its larger
 * side when not square), else the sampled images' suggestion (28 greyscale, 32 colour). Photos
 * are never shrunk to the small suggestion when a larger teacher is known.
 */
export function defaultImportSide(teacher: { name: string; inputShape: [number, number, number] } | null, suggested: number, source: [number, number] | null): SizeDefault {
  if (teacher) {
    const side = Math.max(teacher.inputShape[0], teacher.inputShape[1]);
    return { side, reason: `${teacher.name} reads ${teacher.inputShape[0]}×${teacher.inputShape[1]} images, so the import defaults to ${side}×${side}.` };
  }
  const src = source ? `The sampled images are ${source[1]}×${source[0]}. ` : '';
  return { side: suggested, reason: `${src}${suggested}×${suggested} keeps training quick; import your own teacher first (step 2) to default to its input size, or pick a larger size here.` };
}
