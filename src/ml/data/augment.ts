/**
 * Training-batch augmentation, in place on a filled batch (fillBatch's output): 'crop-flip' pads
 * each image with PAD zero pixels on every side, crops it back to H×W at a random offset, and
 * mirrors it left–right with probability ½. Seeded per (seed, epoch, step), so a batch is the same
 * whether it was filled early for the teacher's worker, late, or after a resume.
 * Allocates nothing per batch beyond the caller's scratch image.
 */
import type { Augment } from '../../domain';
import { makeRng, type Rng } from './batches';

/** Zero padding of the random crop, in pixels. */
export const PAD = 4;

/** A seed for one step's augmentation, mixing the run's seed, the epoch and the step. */
export function augmentSeed(seed: number, epoch: number, step: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (epoch + 0x27d4eb2f), 0xc2b2ae35) >>> 0;
  h = Math.imul(h ^ (step + 0x165667b1), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * Shifts one H×W×C image (NHWC, at `off` in `buf`) by (dy, dx) with zeros coming in, then mirrors
 * it when `flip`: out(y, x) = in(y + dy, x' + dx) with x' = W−1−x when flipped, 0 outside.
 * `scratch` holds at least H·W·C floats.
 */
export function cropFlipImage(buf: Float32Array, off: number, h: number, w: number, c: number, dy: number, dx: number, flip: boolean, scratch: Float32Array): void {
  const n = h * w * c;
  scratch.set(buf.subarray(off, off + n));
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    for (let x = 0; x < w; x++) {
      const sx = (flip ? w - 1 - x : x) + dx;
      const dst = off + (y * w + x) * c;
      if (sy < 0 || sy >= h || sx < 0 || sx >= w) {
        for (let k = 0; k < c; k++) buf[dst + k] = 0;
      } else {
        const src = (sy * w + sx) * c;
        for (let k = 0; k < c; k++) buf[dst + k] = scratch[src + k];
      }
    }
  }
}

/** Applies `augment` to the first `size` images of `buf` ([size,H,W,C]) with `rng`. */
export function augmentBatch(augment: Augment, buf: Float32Array, size: number, shape: readonly [number, number, number], rng: Rng, scratch: Float32Array): void {
  if (augment === 'none') return;
  const [h, w, c] = shape;
  for (let b = 0; b < size; b++) {
    const dy = Math.floor(rng() * (2 * PAD + 1)) - PAD;
    const dx = Math.floor(rng() * (2 * PAD + 1)) - PAD;
    const flip = rng() < 0.5;
    cropFlipImage(buf, b * h * w * c, h, w, c, dy, dx, flip, scratch);
  }
}

/** The augmentation of training step `step` of `epoch` in a run with `seed` (a fresh seeded rng per step). */
export function augmentStep(augment: Augment, buf: Float32Array, size: number, shape: readonly [number, number, number], seed: number, epoch: number, step: number, scratch: Float32Array): void {
  if (augment !== 'none') augmentBatch(augment, buf, size, shape, makeRng(augmentSeed(seed, epoch, step)), scratch);
}
