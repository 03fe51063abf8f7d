import { describe, expect, it } from 'vitest';
import { TILE, tileGeometry } from './PreviewGrid';

describe('tileGeometry', () => {
  it('shows every image size in a square tile of the same on-screen size', () => {
    for (const side of [28, 32, 96, 224, 299, 384]) {
      const g = tileGeometry(side, side);
      expect([g.tileW, g.tileH]).toEqual([TILE, TILE]);
      // The sheet holds large images at the tile's size (averaged down), small ones at their own.
      expect(g.cellW).toBe(Math.min(side, TILE));
      expect(g.cellH).toBe(g.cellW);
    }
  });

  it('keeps the aspect ratio of non-square images inside the tile', () => {
    expect(tileGeometry(120, 240)).toEqual({ cellW: 64, cellH: 32, tileW: 64, tileH: 32 });
  });
});
