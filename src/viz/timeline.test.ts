import { describe, expect, it } from 'vitest';
import { timelineLayout } from './timeline';

describe('timelineLayout', () => {
  const kept = [[1, 0, 1], [1, 1, 0], [1, 1, 0], [0, 1, 0]];
  const g = timelineLayout(kept, 3, { width: 400, labelWidth: 100 });

  it('one cell per evaluation and key, filled when kept', () => {
    expect(g.cells).toHaveLength(12);
    expect(g.cells.filter((c) => c.kept)).toHaveLength(7);
    const c = g.cells.find((x) => x.e === 3 && x.n === 0)!;
    expect(c.kept).toBe(false);
  });

  it('counts the keys that changed side from one evaluation to the next', () => {
    expect(g.changes).toEqual([0, 2, 0, 1]);
  });

  it('columns run left to right in evaluation order, rows top to bottom in key order', () => {
    expect(g.colX[1]).toBeGreaterThan(g.colX[0]);
    expect(g.rowY[2]).toBeGreaterThan(g.rowY[0]);
    expect(g.cells[0].x).toBeGreaterThanOrEqual(100);
    expect(g.ticks[0]).toBe(0);
    expect(g.ticks[g.ticks.length - 1]).toBe(3);
  });

  it('narrows the cells so many evaluations still fit the width', () => {
    const many = timelineLayout(Array.from({ length: 100 }, () => [1, 0]), 2, { width: 600, labelWidth: 100 });
    expect(many.width).toBeLessThanOrEqual(600 + 1e-9);
    expect(many.cellW).toBeLessThan(5);
    expect(many.ticks.length).toBeLessThanOrEqual(10);
    // Past 4 px a cell the timeline grows wider than asked and its panel scrolls.
    expect(timelineLayout(Array.from({ length: 200 }, () => [1, 0]), 2, { width: 600, labelWidth: 100 }).cellW).toBe(4);
  });

  it('refuses a kept mask of the wrong length', () => {
    expect(() => timelineLayout([[1, 0]], 3)).toThrow('needs 3 kept flags');
  });
});
