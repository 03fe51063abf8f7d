import { describe, expect, it } from 'vitest';
import { DATASETS } from './registry';
import { teacherCompat } from './teacherCompat';
import type { ImportedTeacherInfo } from './teacherSource';

const base: ImportedTeacherInfo = {
  fingerprint: 'f', format: 'tfjs-layers', name: 'mine', files: ['model.json'], inputShape: [28, 28, 1], layout: 'NHWC', numClasses: 10,
  logitsName: 'logits', softmaxOutput: false, taps: [{ name: 'b1', shape: [14, 14, 8], stride: 2 }], defaultTaps: ['b1'], labels: null,
  costs: { params: 1, flopsPerImage: 1, bytes: { fp32: 4, fp16: 2, int8: 1 } }, uncountedOps: [], notes: [],
};

describe('teacherCompat', () => {
  it('maps classes by index with a warning when the model carries no names', () => {
    const c = teacherCompat(base, DATASETS.mnist);
    expect(c.errors).toEqual([]);
    expect(c.classOrder).toBeNull();
    expect(c.warnings[0]).toMatch(/mine carries no class names.*metadata\.json/);
  });

  it('maps classes by the names a metadata.json carries, in any order and case', () => {
    const names = DATASETS['fashion-mnist'].classNames;
    const labels = [...names].reverse().map((n) => n.toUpperCase());
    const c = teacherCompat({ ...base, labels }, DATASETS['fashion-mnist']);
    expect(c.errors).toEqual([]);
    expect(c.classOrder).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('refuses labels that do not cover the dataset, a wrong size, channels and class count', () => {
    expect(teacherCompat({ ...base, labels: ['a', 'b', '2', '3', '4', '5', '6', '7', '8', '9'] }, DATASETS.mnist).errors[0]).toMatch(/lack 0, 1 of MNIST/);
    expect(teacherCompat({ ...base, inputShape: [32, 32, 3] }, DATASETS.mnist).errors.join(' ')).toMatch(/reads 3-channel images; MNIST digits has 1 channel/);
    const bigger = teacherCompat({ ...base, inputShape: [32, 32, 1] }, DATASETS.mnist);
    expect(bigger.errors).toEqual([]);
    expect(bigger.resized).toBe(true);
    expect(bigger.warnings[0]).toMatch(/reads 32×32 images; MNIST digits has 28×28: each image is resized \(bilinear\)/);
    expect(teacherCompat({ ...base, numClasses: 100 }, DATASETS.mnist).errors[0]).toMatch(/has 100 classes; MNIST digits has 10/);
  });

  it('never advises exporting a large teacher at the dataset\'s small size', () => {
    const mobile = { ...base, name: 'mobilenet', inputShape: [224, 224, 3] as [number, number, number], format: 'onnx' as const, layout: 'NCHW' as const };
    const cifar = teacherCompat(mobile, DATASETS.cifar10);
    expect(cifar.resized).toBe(true);
    const w = cifar.warnings.join(' ');
    expect(w).toMatch(/reads 224×224 images; CIFAR-10 has 32×32: each image is resized \(bilinear\) to 224×224/);
    expect(w).not.toMatch(/export it at 32×32/);
    expect(w).toMatch(/Keep the model at its own input size/);
    // Photos imported small from 224 files: import them again at the teacher's size.
    const photos = { ...DATASETS.cifar10, id: 'user-0123456789abcdef' as const, label: 'photos (imported)', builtIn: false, sourceSize: [224, 224] as [number, number] };
    const again = teacherCompat(mobile, photos).warnings.join(' ');
    expect(again).toMatch(/Import the photos again at 224×224 in step 1 \(they are 224×224 on disk; this import shrank them to 32×32\)/);
    // Imported at the teacher's size: no resize, no size warning.
    const at224 = teacherCompat(mobile, { ...photos, shape: [224, 224, 3] });
    expect(at224.resized).toBe(false);
    expect(at224.warnings.join(' ')).not.toMatch(/resized/);
    // NHWC ONNX cannot be resized: the error points at re-importing, not at a smaller export.
    const nhwc = teacherCompat({ ...mobile, layout: 'NHWC' }, photos).errors.join(' ');
    expect(nhwc).toMatch(/Import the photos again at 224×224/);
    expect(nhwc).not.toMatch(/with a 32×32 input/);
  });

  it('offers KD only, and says why, without a 4-D tap', () => {
    const c = teacherCompat({ ...base, taps: [], defaultTaps: [] }, DATASETS.mnist);
    expect(c.kdOnly).toBe(true);
    expect(c.warnings.join(' ')).toMatch(/only KD can distil it: AT, AFD and RTK compare feature maps/);
  });
});
