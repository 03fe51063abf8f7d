import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { forgetDataset, registerDataset } from './datasets';
import { archPreset } from './stridePlan';
import { batchAfterStudent, batchReason, datasetDefaults, STEP_BYTES_PER_FLOAT, studentActivationFloats, trainBatchFor, TRAIN_STEP_BUDGET_BYTES } from './trainBudget';

describe('the training batch from the student\'s activation size', () => {
  const photo = archPreset('cnn-s1', [224, 224, 3]);
  it('counts conv, BN and ReLU outputs per the plan (cnn-s1 w24 at 224 px: 112² stem, then 56, 28, 14, 7)', () => {
    expect(photo).toEqual({ arch: 'cnn-s1', width: 24, depth: 1 });
    expect(studentActivationFloats(photo, [224, 224, 3])).toBe(3 * (112 * 112 * 24 + 56 * 56 * 24 + 28 * 28 * 48 + 14 * 14 * 96 + 7 * 7 * 192));
  });
  it('224 px photos train in batches of 8 (at least 8; 16 would pass the step budget), 96 px in 32, small images keep 64', () => {
    expect(trainBatchFor(photo, [224, 224, 3])).toBe(8);
    expect(16 * studentActivationFloats(photo, [224, 224, 3]) * STEP_BYTES_PER_FLOAT).toBeGreaterThan(TRAIN_STEP_BUDGET_BYTES);
    expect(trainBatchFor(archPreset('cnn-s1', [96, 96, 3]), [96, 96, 3])).toBe(64);
    expect(64 * studentActivationFloats(archPreset('cnn-s1', [96, 96, 3]), [96, 96, 3]) * STEP_BYTES_PER_FLOAT).toBeLessThanOrEqual(TRAIN_STEP_BUDGET_BYTES);
    expect(trainBatchFor(DEFAULT_CONFIG.student, [32, 32, 3])).toBe(64);
    // Never below 8, however large the images.
    expect(trainBatchFor(archPreset('resnet-s1', [384, 384, 3]), [384, 384, 3])).toBe(8);
  });
});

describe('datasetDefaults', () => {
  it('moving to 224 px photos brings the photo preset and its batch; back to 32 px brings the small ones; a named plan stays', () => {
    const id = 'user-00000000000000aa' as const;
    registerDataset({ id, label: 'photos (imported)', shape: [224, 224, 3], numClasses: 10, classNames: [], pixelMax: 255, builtIn: false });
    try {
      const c = { dataset: 'mnist' as const, student: DEFAULT_CONFIG.student, batchSize: 64 };
      expect(datasetDefaults(c, id)).toEqual({ augment: 'crop-flip', student: { arch: 'cnn-s1', width: 24, depth: 1 }, batchSize: 8 });
      expect(datasetDefaults({ dataset: id, student: { arch: 'cnn-s1', width: 24, depth: 1 }, batchSize: 16 }, 'cifar10'))
        .toEqual({ augment: 'crop-flip', student: { arch: 'cnn-s1', width: 8, depth: 1 }, batchSize: 64 });
      // Same plan (MNIST to CIFAR-10): the user's student and batch stay; a named plan is the user's choice too.
      expect(datasetDefaults({ ...c, batchSize: 128 }, 'cifar10')).toEqual({ augment: 'crop-flip' });
      expect(datasetDefaults({ ...c, student: { ...c.student, plan: 'small' } }, id)).toEqual({ augment: 'crop-flip' });
    } finally {
      forgetDataset(id);
    }
  });
});

describe('the batch follows the student, unless set by hand', () => {
  const thumbnails = 'cifar10' as const;
  it('on photos a student of another plan or size brings its batch; a hand-set batch stays; small images keep 64', () => {
    const id = 'user-00000000000000ab' as const;
    registerDataset({ id, label: 'photos (imported)', shape: [224, 224, 3], numClasses: 10, classNames: [], pixelMax: 255, builtIn: false });
    const student = archPreset('cnn-s1', [224, 224, 3]);
    const config = { dataset: id, student, batchSize: 8 };
    // The small plan at 224 px keeps 112, 56 and 28 px maps: still 8 (the old rule gave it 64).
    expect(batchAfterStudent(config, { ...student, plan: 'small' })).toBe(trainBatchFor({ ...student, plan: 'small' }, [224, 224, 3]));
    expect(trainBatchFor({ ...student, plan: 'small' }, [224, 224, 3])).toBe(8);
    // A narrow photo student fits a larger batch.
    expect(batchAfterStudent(config, { ...student, width: 8 })).toBe(32);
    expect(batchAfterStudent({ ...config, batchSize: 12 }, { ...student, width: 8 })).toBe(12);
    expect(batchAfterStudent({ dataset: thumbnails, student: DEFAULT_CONFIG.student, batchSize: 64 }, { ...DEFAULT_CONFIG.student, width: 32 })).toBe(64);
    forgetDataset(id);
  });

  it('says why on photos, and what a hand-set batch costs', () => {
    const student = archPreset('cnn-s1', [224, 224, 3]);
    expect(batchReason(student, [32, 32, 3], 64)).toBeNull();
    const why = batchReason(student, [224, 224, 3], 8)!;
    expect(why).toMatch(/^At 224×224 px a training step of this student holds about 21 MB per image; 8 keeps it under the 256 MiB step budget/);
    expect(batchReason(student, [224, 224, 3], 32)).toMatch(/At 32 a step needs about 679 MB\.$/);
  });
});
