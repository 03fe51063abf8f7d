import { describe, expect, it } from 'vitest';
import { bytesPerImage, chunkImagesFor } from '../domain';
import type { Split } from '../ml/types';
import { copyChunk } from './importedData';

/** Stored pixels of `count` images of `size` bytes cut into chunks of `per` images, read back into splits. */
function readBack(pixels: Uint8Array, labels: Uint8Array, splits: Uint8Array, size: number, per: number) {
  const count = labels.length;
  const target = new Int32Array(count);
  let nTrain = 0;
  let nTest = 0;
  for (let i = 0; i < count; i++) target[i] = splits[i] === 1 ? nTrain++ : nTest++;
  const train: Split = { images: new Uint8Array(nTrain * size), labels: new Uint8Array(nTrain), count: nTrain };
  const test: Split = { images: new Uint8Array(nTest * size), labels: new Uint8Array(nTest), count: nTest };
  for (let from = 0; from < count; from += per) {
    const end = Math.min(count, from + per);
    copyChunk(pixels.slice(from * size, end * size), from, end, target, { labels, splits }, size, train, test);
  }
  return { train, test };
}

describe('copyChunk', () => {
  it('reads the same splits from chunks of 1,024 images (old imports) and of about 4 MB (224×224×3: 27 images)', () => {
    const size = bytesPerImage({ height: 224, width: 224, colour: 'rgb' });
    const per = chunkImagesFor(size);
    expect(per).toBe(27);
    const count = 100;
    const pixels = new Uint8Array(count * size);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + (i >> 9)) & 255;
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    const splits = Uint8Array.from({ length: count }, (_, i) => (i % 5 === 0 ? 2 : 1));
    const old = readBack(pixels, labels, splits, size, 1024);
    const now = readBack(pixels, labels, splits, size, per);
    expect(now.train.count).toBe(80);
    expect(now.test.count).toBe(20);
    expect(Buffer.from(now.train.images).equals(Buffer.from(old.train.images))).toBe(true);
    expect(Buffer.from(now.test.images).equals(Buffer.from(old.test.images))).toBe(true);
    expect([...now.test.labels]).toEqual([...old.test.labels]);
    // Image 5 is the second test image: its pixels are the stored ones.
    expect(Buffer.from(now.test.images.subarray(size, 2 * size)).equals(Buffer.from(pixels.subarray(5 * size, 6 * size)))).toBe(true);
  });
});
