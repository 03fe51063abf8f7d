/**
 * Seeded shuffling, train/validation split and batch filling: the data hot path of training.
 * Nothing here allocates per batch.
 */
import type { Split } from '../types';
import { nOf, seededRandom } from '../../domain';

/** A PRNG returning floats in [0, 1). */
export type Rng = () => number;

/** mulberry32 (the domain's `seededRandom`): the same seed always gives the same sequence. */
export function makeRng(seed: number): Rng {
  return seededRandom(seed);
}

/** A random permutation of 0..n-1 (Fisher–Yates, driven by `rng`). */
export function shuffledIndices(n: number, rng: Rng): Int32Array {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/**
 * Splits images 0..count-1 into disjoint train and validation sets: a seeded shuffle, the first
 * round(count·valFraction) go to validation. Both lists are returned in ascending order, so the
 * result depends only on (count, valFraction, seed).
 */
export function splitTrainVal(count: number, valFraction: number, seed: number): { trainIdx: Int32Array; valIdx: Int32Array } {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, got ${count}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new RangeError(`valFraction must be in [0, 1), got ${valFraction}`);
  const perm = shuffledIndices(count, makeRng(seed));
  const nVal = Math.round(count * valFraction);
  return { trainIdx: perm.slice(nVal).sort(), valIdx: perm.slice(0, nVal).sort() };
}

/**
 * Writes images indices[start .. start+size) of `split` as floats in [0, 1] (pixel / pixelMax),
 * NHWC, into `out` (length ≥ size·H·W·C) and their labels into `outLabels` (length ≥ size).
 * Allocates nothing. Throws if the range runs past `indices` or an index is out of the split.
 */
export function fillBatch(
  split: Split, indices: ArrayLike<number>, start: number, size: number, pixelMax: number,
  out: Float32Array, outLabels: Int32Array,
): void {
  const imageSize = split.count > 0 ? split.images.length / split.count : 0;
  if (start < 0 || start + size > indices.length) throw new RangeError(`batch [${start}, ${start + size}) runs past ${indices.length} indices`);
  if (out.length < size * imageSize || outLabels.length < size) throw new RangeError(`output buffers hold fewer than ${size} images`);
  const scale = 1 / pixelMax;
  const { images, labels } = split;
  for (let b = 0; b < size; b++) {
    const i = indices[start + b];
    if (!(i >= 0 && i < split.count)) throw new RangeError(`index ${i} is outside the split (0..${split.count - 1})`);
    const src = i * imageSize;
    const dst = b * imageSize;
    for (let p = 0; p < imageSize; p++) out[dst + p] = images[src + p] * scale;
    outLabels[b] = labels[i];
  }
}

/** Number of images per class in `split` (a quick bias check). */
export function classBalance(split: Split, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < split.count; i++) {
    const l = split.labels[i];
    if (l < numClasses) counts[l]++;
  }
  return counts;
}

/**
 * Why a run on `train` cannot train, or null: a class without a training image, or fewer
 * training images, once `valFraction` of them are held out for validation, than one batch.
 * Checked before a run builds anything, so it fails with this reason rather than partway.
 */
export function cannotTrain(train: Split, numClasses: number, classNames: readonly string[], valFraction: number, batchSize: number, dataset: string): string | null {
  const counts = classBalance(train, numClasses);
  const none = classNames.filter((_, k) => counts[k] === 0);
  if (train.count > 0 && none.length) {
    return `${dataset}: the class${none.length > 1 ? 'es' : ''} ${none.map((c) => `"${c}"`).join(', ')} ${none.length > 1 ? 'have' : 'has'} no training image, so a classifier cannot learn ${none.length > 1 ? 'them' : 'it'}. Add images to ${none.length > 1 ? 'those classes' : 'that class'} (or move some from test/ to train/) and import again.`;
  }
  const left = train.count - Math.round(train.count * valFraction);
  if (left < batchSize) {
    return `${dataset}: ${nOf(left, 'training image')} ${left === 1 ? 'is' : 'are'} left after ${Math.round(train.count * valFraction)} for validation, fewer than one batch of ${batchSize}. Lower the batch size to ${Math.max(1, left)} or less, or add images.`;
  }
  return null;
}
