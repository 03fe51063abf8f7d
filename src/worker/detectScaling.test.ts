/**
 * Input scaling detected on import (teacherMeasure.ts detectScaling) on real ONNX teachers: the
 * fixture trained on 0–1 inputs (fashion-resnet.onnx) and one trained on ImageNet-normalised
 * inputs (fashion-resnet-imagenet.onnx, make_fixture.py --normalize imagenet, 1 epoch on real
 * Fashion-MNIST). onnxruntime-node stands in for the teacher worker's onnxruntime-web, with the
 * runner's own scaling and layout code (preprocess.ts, layout.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDatasetNode } from '../ml/data/loadNode';
import { nhwcToNchw } from '../ml/onnx/layout';
import { preprocessInPlace } from '../ml/teacher/preprocess';
import type { Dataset, FrozenTeacher } from '../ml/types';
import { CANCELLED, detectScaling, scalingDecided } from './teacherMeasure';

const FIX = path.resolve(__dirname, '../../fixtures/onnx');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../shared/data');
let fashion: Dataset;
beforeAll(async () => { fashion = await loadDatasetNode(DATA, 'fashion-mnist', { trainLimit: 256, testLimit: 0 }); });

/** A FrozenTeacher whose remote forward pass runs `file` in onnxruntime-node (NCHW, batch dynamic). */
async function onnxTeacher(file: string): Promise<FrozenTeacher> {
  const session = await ort.InferenceSession.create(readFileSync(path.join(FIX, file)));
  return {
    inputShape: [28, 28, 1], numClasses: 10, tapNames: [], tapShapes: [],
    remote: {
      where: 'onnxruntime-node',
      async forward(x, B, preprocess) {
        const scaled = preprocessInPlace(Float32Array.from(x), 1, preprocess);
        const out = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(scaled, B, 28, 28, 1), [B, 1, 28, 28]) });
        return { logits: Float32Array.from(out.logits.data as Float32Array), pooled: [], energy: [] };
      },
      dispose: () => void session.release(),
    },
  };
}

describe('input scaling detected on labelled training images (rounds of 64, up to 256)', () => {
  it('an ImageNet-normalised model: ImageNet mean/std, far ahead of 0–1', async () => {
    const meta = JSON.parse(readFileSync(path.join(FIX, 'fashion-resnet-imagenet.json'), 'utf8')) as { testAccuracy: number; preprocess: string };
    expect(meta.preprocess).toMatch(/^\(x \/ 255 - 0\.449\d*\) \/ 0\.226\d*/);
    const d = await detectScaling(await onnxTeacher('fashion-resnet-imagenet.onnx'), fashion);
    expect(d.best).toBe('imagenet');
    // One round decides it: near what PyTorch measured on the test set; 0–1 is far below.
    expect(d.images).toBe(64);
    expect(d.accuracy.imagenet).toBeGreaterThan(meta.testAccuracy - 0.1);
    expect(d.accuracy.unit).toBeLessThan(d.accuracy.imagenet - 0.2);
  });

  it('a model trained on 0–1 inputs: 0–1', async () => {
    const d = await detectScaling(await onnxTeacher('fashion-resnet.onnx'), fashion);
    expect(d.best).toBe('unit');
    expect(d.accuracy.unit).toBeGreaterThan(0.8);
  });
});

describe('a measurement reports progress and stops when cancelled', () => {
  it('progress after each batch, counted against 3 scalings × 256 images; a clear lead stops after one round of 64; batches of the stated size', async () => {
    const teacher = await onnxTeacher('fashion-resnet.onnx');
    const sizes: number[] = [];
    const forward = teacher.remote!.forward.bind(teacher.remote);
    teacher.remote = { ...teacher.remote!, forward: (x, B, p) => { sizes.push(B); return forward(x, B, p); } };
    const seen: [number, number][] = [];
    const d = await detectScaling(teacher, fashion, { batch: 40, progress: (done, t) => seen.push([done, t]) });
    expect(d.images).toBe(64);
    expect(sizes).toEqual([40, 24, 40, 24, 40, 24]);
    expect(seen.map((x) => x[0])).toEqual([40, 64, 104, 128, 168, 192]);
    expect(seen.every((x) => x[1] === 768)).toBe(true);
  });

  it('scalingDecided: a lead of 3 standard errors after at least one round; close calls go on', () => {
    expect(scalingDecided([58, 11, 6], 64)).toBe(true);
    expect(scalingDecided([30, 27, 5], 64)).toBe(false);
    expect(scalingDecided([60, 2, 1], 32)).toBe(false);
    // 50 % against 40 % is undecided at 64 images and decided by 256 only with a wider gap.
    expect(scalingDecided([128, 102, 10], 256)).toBe(false);
    expect(scalingDecided([128, 80, 10], 256)).toBe(true);
  });

  it('a cancel stops it before the next batch: no further pass runs', async () => {
    const teacher = await onnxTeacher('fashion-resnet.onnx');
    let passes = 0;
    const forward = teacher.remote!.forward.bind(teacher.remote);
    teacher.remote = { ...teacher.remote!, forward: (x, B, p) => { passes += 1; return forward(x, B, p); } };
    await expect(detectScaling(teacher, fashion, { batch: 64, cancelled: () => passes >= 2 })).rejects.toThrow(CANCELLED);
    expect(passes).toBe(2);
  });
});
