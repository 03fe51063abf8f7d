import { describe, expect, it } from 'vitest';
import { bytesPerImage, CHUNK_TARGET_BYTES, chunkImagesFor, defaultImportSide, formatBytes, IMPORT_SIDES, importNeed, MEMORY_BUDGET_BYTES } from './importSizing';

const rgb = (side: number) => ({ height: side, width: side, colour: 'rgb' as const });

describe('chunkImagesFor', () => {
  it('keeps each IndexedDB value near 4 MB whatever the image size, at least one image', () => {
    expect(chunkImagesFor(bytesPerImage(rgb(224)))).toBe(27); // 150,528 B an image: 27 × = 4.06 MB
    expect(chunkImagesFor(bytesPerImage(rgb(32)))).toBe(1365);
    expect(chunkImagesFor(28 * 28)).toBe(5349);
    expect(chunkImagesFor(4000 * 4000 * 3)).toBe(1);
    for (const side of IMPORT_SIDES) {
      const b = bytesPerImage(rgb(side));
      const n = chunkImagesFor(b);
      expect(n * b).toBeLessThanOrEqual(CHUNK_TARGET_BYTES);
      expect((n + 1) * b).toBeGreaterThan(CHUNK_TARGET_BYTES);
    }
  });
});

describe('importNeed', () => {
  it('states images × h × w × c and the memory it needs (1,200 photos at 224×224×3 = 181 MB)', () => {
    const n = importNeed(1200, rgb(224), null);
    expect(n.pixels).toBe(1200 * 224 * 224 * 3);
    expect(formatBytes(n.pixels)).toBe('181 MB');
    expect(n.storage).toBeGreaterThan(n.pixels);
    expect(n.free).toBeNull();
    expect(n.storageFits).toBe(true);
    expect(n.memoryFits).toBe(true);
    expect(n.largestFit).toBe(384);
  });

  it('refuses what the storage estimate cannot hold and names the largest size that fits', () => {
    const n = importNeed(1200, rgb(224), { quota: 200e6, usage: 100e6 });
    expect(n.free).toBe(100e6);
    expect(n.storageFits).toBe(false);
    expect(n.largestFit).toBe(160); // 1,200 × 160² × 3 = 92 MB
  });

  it('refuses datasets over the memory budget, suggesting a smaller side', () => {
    const n = importNeed(20_000, rgb(224), null); // 3.0 GB
    expect(n.memoryFits).toBe(false);
    expect(n.largestFit).toBe(128); // 20,000 × 128² × 3 = 0.98 GB; 160 would be 1.54 GB
    expect(20_000 * 128 * 128 * 3).toBeLessThanOrEqual(MEMORY_BUDGET_BYTES);
    expect(importNeed(10_000_000, rgb(28), null).largestFit).toBeNull();
  });
});

describe('defaultImportSide', () => {
  it("defaults to the user's teacher's input size and says so", () => {
    const d = defaultImportSide({ name: 'mobilenet_v2.onnx', inputShape: [224, 224, 3] }, 32, [224, 224]);
    expect(d.side).toBe(224);
    expect(d.reason).toMatch(/mobilenet_v2\.onnx reads 224×224 images, so the import defaults to 224×224/);
  });

  it('keeps the small suggestion without a teacher, naming the photos\' own size', () => {
    const d = defaultImportSide(null, 32, [224, 224]);
    expect(d.side).toBe(32);
    expect(d.reason).toMatch(/sampled images are 224×224/);
  });
});

describe('formatBytes', () => {
  it('writes decimal MB and GB', () => {
    expect(formatBytes(1.5e9)).toBe('1.5 GB');
    expect(formatBytes(4_063_232)).toBe('4 MB');
    expect(formatBytes(500)).toBe('1 kB');
  });
});
