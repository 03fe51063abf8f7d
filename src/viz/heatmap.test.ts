import { describe, expect, it } from 'vitest';
import { heatmapLayout } from './heatmap';
import { attentionColour } from './scales';

// T = 2 teacher keys × S = 3 student taps, rows sum to 1.
const att = [0.5, 0.3, 0.2, 0.1, 0.1, 0.8];

describe('heatmapLayout', () => {
  const g = heatmapLayout(att, 2, 3, { cell: 40, labelWidth: 100, labelHeight: 20 });

  it('places one cell per (key, student) pair, row-major', () => {
    expect(g.cells).toHaveLength(6);
    const c = g.cells[5];
    expect([c.n, c.m, c.value]).toEqual([1, 2, 0.8]);
    expect(c.fill).toBe(attentionColour(0.8));
  });

  it('rows go down, columns go right, inside the label margins', () => {
    const byRow = g.cells.filter((c) => c.m === 0).map((c) => c.y);
    const byCol = g.cells.filter((c) => c.n === 0).map((c) => c.x);
    expect(byRow[1]).toBeGreaterThan(byRow[0]);
    expect(byCol[1]).toBeGreaterThan(byCol[0]);
    expect(byCol[2]).toBeGreaterThan(byCol[1]);
    expect(Math.min(...byCol)).toBeGreaterThanOrEqual(100);
    expect(Math.min(...byRow)).toBeGreaterThanOrEqual(20);
    for (const cell of g.cells) {
      expect(cell.x + cell.size).toBeLessThanOrEqual(100 + 3 * 40 + 1e-9);
      expect(cell.y + cell.size).toBeLessThanOrEqual(20 + 2 * 40 + 1e-9);
      expect(cell.size).toBeGreaterThan(30);
      expect(cell.size).toBeLessThan(40);
    }
  });

  it('row and column centres sit in the middle of their cells', () => {
    const c = g.cells[4]; // n = 1, m = 1
    expect(g.rowY[1]).toBeCloseTo(c.y + c.size / 2);
    expect(g.colX[1]).toBeCloseTo(c.x + c.size / 2);
    expect(g.width).toBeGreaterThan(100 + 3 * 40 - 1);
  });

  it('refuses a matrix of the wrong size', () => {
    expect(() => heatmapLayout(att, 3, 3)).toThrow(/expected T×S = 3×3/);
  });
});
