import { describe, expect, it } from 'vitest';
import { bytes, count, pct } from './format';
import { sizeLine, times } from './storyLine';

describe('sizeLine', () => {
  it('states teacher and student size, the ratio and the accuracy with formatted numbers', () => {
    const line = sizeLine({
      teacher: { label: 'ResNet teacher', params: 99622, flops: 6312922, fp32: 398488, accuracy: 0.994 },
      student: { label: 'Plain CNN student', params: 12000, flops: 400000, fp32: 48000 },
      dataset: 'MNIST digits',
    }, { count, bytes, pct });
    expect(line).toContain('99,622 parameters');
    expect(line).toContain('99.40% on MNIST digits');
    expect(line).toContain('12,000 parameters');
    expect(line).toContain('8.3× smaller');
    expect(line).toContain('16× fewer FLOPs per image');
  });
  it('says what is still being measured', () => {
    const line = sizeLine({ teacher: null, student: { label: 'S', params: null, flops: null, fp32: null }, dataset: 'D' }, { count, bytes, pct });
    expect(line).toMatch(/loading its card/);
    expect(line).toMatch(/being measured/);
  });
  it('says when the dataset has no teacher rather than that one is loading', () => {
    const line = sizeLine({ teacher: null, noTeacher: 'none', student: { label: 'S', params: 1, flops: 1, fp32: 4 }, dataset: 'photos (imported)' }, { count, bytes, pct });
    expect(line).toMatch(/^Teacher: none yet for photos \(imported\); import your own or train one in step 2\./);
    expect(line).not.toMatch(/loading/);
  });
  it('rounds ratios', () => {
    expect(times(8.43)).toBe('8.4×');
    expect(times(22.4)).toBe('22×');
  });
});
