import { describe, expect, it } from 'vitest';
import { batchForBudget, passBytesPerImage, TEACHER_MAX_BATCH, TEACHER_PASS_BUDGET_BYTES, teacherThreads } from './teacherBudget';

describe('batch from the activation size', () => {
  it('keeps a pass of a 224 px MobileNetV2 (≈ 6.6 M activation floats per image) under the budget', () => {
    const act = 6.6e6;
    const input = 224 * 224 * 3;
    const b = batchForBudget(act, input);
    expect(b).toBe(2);
    expect(b * passBytesPerImage(act, input)).toBeLessThanOrEqual(TEACHER_PASS_BUDGET_BYTES);
    expect((b + 1) * passBytesPerImage(act, input)).toBeGreaterThan(TEACHER_PASS_BUDGET_BYTES);
  });

  it('a small 28 px teacher runs the largest batch; a huge one still runs one image; unknown sizes run the largest', () => {
    expect(batchForBudget(50_000, 784)).toBe(TEACHER_MAX_BATCH);
    expect(batchForBudget(1e9, 224 * 224 * 3)).toBe(1);
    expect(batchForBudget(0, 0)).toBe(TEACHER_MAX_BATCH);
    expect(batchForBudget(1e6, 0, 64 * 1024 * 1024)).toBe(16);
  });
});

describe('onnxruntime-web threads', () => {
  it('one without cross-origin isolation; every core but one with it, at least one', () => {
    expect(teacherThreads(16, false)).toBe(1);
    expect(teacherThreads(16, true)).toBe(15);
    expect(teacherThreads(2, true)).toBe(1);
    expect(teacherThreads(1, true)).toBe(1);
    expect(teacherThreads(undefined, true)).toBe(1);
    expect(teacherThreads(64, true)).toBe(16);
  });
});
