import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule';

describe('learning-rate schedules', () => {
  it('constant keeps the rate; cosine halves it midway and ends near 0', () => {
    expect(learningRateAt('constant', 0.1, 50, 100)).toBe(0.1);
    expect(learningRateAt('cosine', 0.1, 0, 100)).toBeCloseTo(0.1, 12);
    expect(learningRateAt('cosine', 0.1, 50, 100)).toBeCloseTo(0.05, 12);
    expect(learningRateAt('cosine', 0.1, 99, 100)).toBeLessThan(1e-4);
  });

  it('one-cycle rises from lr/25 to lr over the first 30 % of the steps, then falls to lr/25/10⁴', () => {
    const lr = 0.1;
    const at = (s: number) => learningRateAt('one-cycle', lr, s, 100);
    expect(at(0)).toBeCloseTo(lr / 25, 12);
    expect(at(15)).toBeCloseTo(lr / 25 + (lr - lr / 25) / 2, 12);
    expect(at(30)).toBeCloseTo(lr, 12);
    expect(at(99)).toBeCloseTo(lr / 25 / 1e4, 12);
    for (let s = 1; s <= 30; s++) expect(at(s)).toBeGreaterThan(at(s - 1));
    for (let s = 31; s < 100; s++) expect(at(s)).toBeLessThan(at(s - 1));
    // A run of one step still gets a finite rate.
    expect(Number.isFinite(learningRateAt('one-cycle', lr, 0, 1))).toBe(true);
  });
});
