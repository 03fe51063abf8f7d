import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Dataset } from '../types';
import { augmentBatch, augmentSeed, augmentStep, cropFlipImage, PAD } from './augment';
import { fillBatch, makeRng } from './batches';
import { loadDatasetNode } from './loadNode';

const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../../shared/data');
const B = 16;
let cifar: Dataset;
let plain: Float32Array;
const labels = new Int32Array(B);
const idx = Array.from({ length: B }, (_, i) => i);

beforeAll(async () => {
  cifar = await loadDatasetNode(DATA, 'cifar10', { trainLimit: B, testLimit: 0 });
  plain = new Float32Array(B * 32 * 32 * 3);
  fillBatch(cifar.train, idx, 0, B, cifar.pixelMax, plain, labels);
}, 120_000);

/** The batch of (seed, epoch, step), filled and augmented as the trainer does. */
function batch(augment: 'none' | 'crop-flip', seed: number, epoch = 0, step = 0): Float32Array {
  const out = new Float32Array(plain.length);
  fillBatch(cifar.train, idx, 0, B, cifar.pixelMax, out, new Int32Array(B));
  augmentStep(augment, out, B, cifar.shape, seed, epoch, step, new Float32Array(32 * 32 * 3));
  return out;
}

const image = (buf: Float32Array, b: number) => buf.subarray(b * 3072, (b + 1) * 3072);
const at = (img: Float32Array, y: number, x: number, k: number) => img[(y * 32 + x) * 3 + k];

/** The (dy, dx, flip) that turns `src` into `dst`, found by trying all of them; null if none fits. */
function findTransform(src: Float32Array, dst: Float32Array): { dy: number; dx: number; flip: boolean } | null {
  const scratch = new Float32Array(3072);
  for (const flip of [false, true]) {
    for (let dy = -PAD; dy <= PAD; dy++) {
      for (let dx = -PAD; dx <= PAD; dx++) {
        const t = Float32Array.from(src);
        cropFlipImage(t, 0, 32, 32, 3, dy, dx, flip, scratch);
        if (t.every((v, i) => v === dst[i])) return { dy, dx, flip };
      }
    }
  }
  return null;
}

describe('crop-flip augmentation on real CIFAR-10 images', () => {
  it('keeps the shape and the pixel range, and leaves labels alone', () => {
    const a = batch('crop-flip', 1);
    expect(a.length).toBe(B * 32 * 32 * 3);
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    const y = new Int32Array(B);
    fillBatch(cifar.train, idx, 0, B, cifar.pixelMax, new Float32Array(a.length), y);
    expect(Array.from(y)).toEqual(Array.from(labels));
  });

  it('gives the same batch for the same seed, epoch and step, and another for another seed or step', () => {
    const a = batch('crop-flip', 1, 0, 3);
    expect(batch('crop-flip', 1, 0, 3)).toEqual(a);
    expect(batch('crop-flip', 2, 0, 3)).not.toEqual(a);
    expect(batch('crop-flip', 1, 0, 4)).not.toEqual(a);
    expect(batch('crop-flip', 1, 1, 3)).not.toEqual(a);
    expect(new Set([augmentSeed(1, 0, 0), augmentSeed(1, 0, 1), augmentSeed(1, 1, 0), augmentSeed(2, 0, 0)]).size).toBe(4);
  });

  it("'none' leaves the images exactly as fillBatch wrote them (the validation and test path)", () => {
    expect(batch('none', 1)).toEqual(plain);
  });

  it('each image is a shift of at most 4 pixels with zeros coming in, mirrored or not, and both happen in a batch', () => {
    const a = batch('crop-flip', 5);
    const found = idx.map((b) => findTransform(image(plain, b), image(a, b)));
    expect(found.every((f) => f !== null)).toBe(true);
    const ts = found as { dy: number; dx: number; flip: boolean }[];
    expect(ts.some((t) => t.flip)).toBe(true);
    expect(ts.some((t) => !t.flip)).toBe(true);
    expect(ts.some((t) => t.dx !== 0 || t.dy !== 0)).toBe(true);
    expect(a).not.toEqual(plain);
  });

  it('a pure mirror and a pure shift put the right pixels in the right places', () => {
    const src = Float32Array.from(image(plain, 0));
    const scratch = new Float32Array(3072);
    const m = Float32Array.from(src);
    cropFlipImage(m, 0, 32, 32, 3, 0, 0, true, scratch);
    expect(at(m, 7, 0, 1)).toBe(at(src, 7, 31, 1));
    expect(at(m, 20, 10, 2)).toBe(at(src, 20, 21, 2));
    const s = Float32Array.from(src);
    cropFlipImage(s, 0, 32, 32, 3, 2, -3, false, scratch);
    expect(at(s, 5, 10, 0)).toBe(at(src, 7, 7, 0));
    // Rows past the bottom and columns before the left edge come in as zero padding.
    for (let x = 0; x < 32; x++) expect(at(s, 31, x, 0)).toBe(0);
    for (let y = 0; y < 32; y++) expect(at(s, y, 0, 2)).toBe(0);
  });

  it('draws offsets uniformly over −4..4 and flips about half the images', () => {
    const img = new Float32Array(4 * 4 * 1 * 2000);
    const rng = makeRng(9);
    let draws = 0;
    const counting = () => { draws++; return rng(); };
    augmentBatch('crop-flip', img, 2000, [4, 4, 1], counting, new Float32Array(16));
    expect(draws).toBe(3 * 2000);
    const r = makeRng(9);
    const dys: number[] = [];
    let flips = 0;
    for (let i = 0; i < 2000; i++) { dys.push(Math.floor(r() * 9) - 4); Math.floor(r() * 9); if (r() < 0.5) flips++; }
    expect(Math.min(...dys)).toBe(-4);
    expect(Math.max(...dys)).toBe(4);
    expect(flips / 2000).toBeGreaterThan(0.45);
    expect(flips / 2000).toBeLessThan(0.55);
  });
});
