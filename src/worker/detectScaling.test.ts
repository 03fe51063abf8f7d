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
import { CANCELLED, detectScaling } from './teacherMeasure';

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
        return { logits: Float32Array.from(out.logits.data as Float32Array), taps: [] };
      },
      dispose: () => void session.release(),
    },
  };
}

describe('input scaling detected on 256 labelled training images', () => {
  it('an ImageNet-normalised model: ImageNet mean/std, far ahead of 0–1', async () => {
    const meta = JSON.parse(readFileSync(path.join(FIX, 'fashion-resnet-imagenet.json'), 'utf8')) as { testAccuracy: number; preprocess: string };
    expect(meta.preprocess).toMatch(/^\(x \/ 255 - 0\.449\d*\) \/ 0\.226\d*/);
    const d = await detectScaling(await onnxTeacher('fashion-resnet-imagenet.onnx'), fashion);
    expect(d.best).toBe('imagenet');
    // On 256 training images, near what PyTorch measured on the test set; 0–1 is far below.
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
  it('progress after each batch up to 3 scalings × 256 images; logits only; batches of the stated size', async () => {
    const teacher = await onnxTeacher('fashion-resnet.onnx');
    const sizes: number[] = [];
    const forward = teacher.remote!.forward.bind(teacher.remote);
    teacher.remote = { ...teacher.remote!, forward: (x, B, p) => { sizes.push(B); return forward(x, B, p); } };
    const seen: [number, number][] = [];
    await detectScaling(teacher, fashion, { batch: 100, progress: (d, t) => seen.push([d, t]) });
    expect(sizes).toEqual([100, 100, 56, 100, 100, 56, 100, 100, 56]);
    expect(seen.at(-1)).toEqual([768, 768]);
    expect(seen.map((x) => x[0])).toEqual([100, 200, 256, 356, 456, 512, 612, 712, 768]);
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
