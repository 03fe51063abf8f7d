import { describe, expect, it } from 'vitest';
import { barLayout } from './bars';

describe('barLayout', () => {
  const influence = [0.7, 0.25, 0.4];
  const g = barLayout(influence, 0.45, [1, 0, 0], { width: 500, labelWidth: 100, valueWidth: 100, barHeight: 20, gap: 10 });

  it('bar length is proportional to influence on an axis from 0', () => {
    const [a, b] = [g.bars[0], g.bars[1]];
    expect(a.width / b.width).toBeCloseTo(0.7 / 0.25, 6);
    expect(g.domainMax).toBeGreaterThanOrEqual(0.7);
    expect(g.left + a.width).toBeLessThanOrEqual(500 - 100 + 1e-9);
  });

  it('draws the threshold where a bar of that influence would end', () => {
    const px = (v: number) => g.left + (v / g.domainMax) * (500 - 100 - 100);
    expect(g.tauX).toBeCloseTo(px(0.45), 6);
    expect(g.bars[0].width + g.left).toBeGreaterThan(g.tauX);
    expect(g.bars[2].width + g.left).toBeLessThan(g.tauX);
  });

  it('keeps the kept flags and stacks bars top to bottom', () => {
    expect(g.bars.map((b) => b.kept)).toEqual([true, false, false]);
    expect(g.bars[1].y - g.bars[0].y).toBe(30);
    expect(g.height).toBeGreaterThanOrEqual(g.bars[2].y + 20);
  });

  it('extends the axis to minDomainMax so it holds still while the slider moves', () => {
    const wide = barLayout(influence, 0.45, [1, 0, 0], { minDomainMax: 1 });
    expect(wide.domainMax).toBe(1);
    expect(wide.ticks[0]).toEqual({ value: 0, x: wide.left });
  });

  it('puts the value labels in their own column right of the axis, clear of the τ line and inside the chart', () => {
    for (const tau of [0.2, 0.45, 0.69]) {
      const d = barLayout(influence, tau, [1, 0, 0], { minDomainMax: 0.7 });
      expect(d.valueX).toBeGreaterThan(d.tauX + 4);
      for (const b of d.bars) expect(d.valueX).toBeGreaterThan(d.left + b.width + 4);
      // "0.454 · dropped": 15 characters of 12 px text fit before the right edge.
      expect(d.valueX + 15 * 7).toBeLessThanOrEqual(d.width);
    }
  });
});
