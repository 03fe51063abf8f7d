import { describe, expect, it } from 'vitest';
import { selectKeys } from '../domain';
import { LINK_MAX_WIDTH, networkLayout, type NetTap } from './network';

// The shipped MNIST teacher's taps and the default student's, as the trainer records them.
const teacher: NetTap[] = [
  { name: 'stage1.block1', shape: [14, 14, 12], flops: 900_000 }, { name: 'stage1.block2', shape: [14, 14, 12], flops: 600_000 },
  { name: 'stage2.block1', shape: [7, 7, 24], flops: 500_000 }, { name: 'stage2.block2', shape: [7, 7, 24], flops: 560_000 },
  { name: 'stage3.block1', shape: [4, 4, 48], flops: 400_000 }, { name: 'stage3.block2', shape: [4, 4, 48], flops: 370_000 },
];
const student: NetTap[] = [
  { name: 'stage1.block1', shape: [14, 14, 8], flops: 60_000 }, { name: 'stage2.block1', shape: [7, 7, 16], flops: 120_000 },
  { name: 'stage3.block1', shape: [4, 4, 32], flops: 150_000 },
];
const attention = [0.11, 0.09, 0.8, 0.11, 0.1, 0.79, 0.14, 0.08, 0.78, 0.07, 0.04, 0.89, 0.38, 0.55, 0.07, 0.33, 0.55, 0.12];
const sel = selectKeys(attention, 6, 3, 2, 'mean');
const g = networkLayout({ teacher, student, attention, influence: sel.influence, tau: sel.tau, kept: sel.kept, minDomainMax: 0.5, floor: 1 / 3 });

describe('networkLayout', () => {
  it('draws one link per key and student tap, as wide as its attention, strong exactly for the kept keys', () => {
    expect(g.links).toHaveLength(18);
    for (const l of g.links) {
      expect(l.kept).toBe(sel.kept[l.n] === 1);
      expect(l.width).toBeCloseTo(0.5 + attention[l.n * 3 + l.m] * (LINK_MAX_WIDTH - 0.5), 9);
      expect(l.d).toMatch(/^M[\d.]+,[\d.]+C/);
    }
    expect(g.keys.map((k) => k.kept)).toEqual(sel.kept.map((v) => v === 1));
  });

  it('sizes blocks by their feature maps: wider for more channels, taller for more positions', () => {
    const [s1, , s2, , s3] = g.keys;
    expect(s1.h).toBeGreaterThan(s2.h);
    expect(s2.h).toBeGreaterThan(s3.h);
    expect(s3.w).toBeGreaterThan(s2.w);
    expect(s2.w).toBeGreaterThan(s1.w);
    // The same shape gets the same block in both models.
    expect(g.taps[0].h).toBeCloseTo(s1.h, 9);
    expect(g.keys[0].costW).toBeGreaterThan(g.taps[0].costW);
    expect(g.keys[2].shapeText).toBe('7×7×24');
  });

  it('puts the threshold where a bar of that influence would end, and each bar says its own side of it', () => {
    for (const k of g.keys) {
      if (k.kept) expect(k.barY).toBeLessThan(g.tauY);
      else expect(k.barY).toBeGreaterThanOrEqual(g.tauY - 1e-9);
    }
    expect(g.tauY).toBeGreaterThanOrEqual(g.barTop);
    expect(g.tauY).toBeLessThanOrEqual(g.barBase);
  });

  it('keeps the τ line clear of every label: values under the bars, names below them, the τ label in its own margin', () => {
    for (const k of g.keys) {
      expect(g.barBase + 14 - 10).toBeGreaterThan(g.tauY); // value text top
      expect(k.labelY).toBeGreaterThan(g.barBase + 14);
      expect(k.labelY + 28).toBeLessThan(k.y); // cost bar above the block
    }
    expect(g.width - g.right + 10).toBeGreaterThan(g.keys[5].cx + 40);
  });

  it('places the student row below the teacher row, links from a key down to a student tap', () => {
    expect(g.studentMid).toBeGreaterThan(g.teacherMid + 60);
    for (const t of g.taps) expect(t.labelY).toBeLessThan(g.height);
  });

  it('refuses attention of the wrong size with the shapes it expected', () => {
    expect(() => networkLayout({ teacher, student, attention: [1, 2], influence: sel.influence, tau: 0.4, kept: sel.kept }))
      .toThrow('expected T×S = 6×3');
  });
});
