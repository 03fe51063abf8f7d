/**
 * A model exported as torch.onnx.export does by default (no dynamic_axes: batch fixed at 1):
 * fixtures/onnx/fashion-resnet-b1.onnx, made by make_fixture.py --fixed-batch (trained briefly on
 * real Fashion-MNIST). The import reads the fixed batch and probes at it; onnxruntime refuses
 * any other batch, so the runner feeds it runs of that many images, as done here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { loadDatasetNode } from '../data/loadNode';
import { onnxInputOf, readOnnxFiles } from './describe';

const FIX = path.resolve(__dirname, '../../../fixtures/onnx');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../../shared/data');
const meta = JSON.parse(readFileSync(path.join(FIX, 'fashion-resnet-b1.json'), 'utf8')) as { testAccuracy: number; batch: number };
const bytes = readFileSync(path.join(FIX, 'fashion-resnet-b1.onnx'));

describe('an ONNX model with a fixed batch', () => {
  it('is read as fixed at 1 and probed at batch 1', () => {
    const { model, file } = readOnnxFiles([{ name: 'fashion-resnet-b1.onnx', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer }]);
    const io = onnxInputOf(model, file, [28, 28, 1]);
    expect(meta.batch).toBe(1);
    expect(io.fixedBatch).toBe(1);
    expect(io.probeDims).toEqual([1, 1, 28, 28]);
  });

  it('refuses a batch of 4 in onnxruntime, and scores what PyTorch measured when fed one image at a time', async () => {
    const s = await ort.InferenceSession.create(bytes);
    const four = new ort.Tensor('float32', new Float32Array(4 * 784), [4, 1, 28, 28]);
    await expect(s.run({ input: four })).rejects.toThrow(/invalid dimensions/i);
    const ds = await loadDatasetNode(DATA, 'fashion-mnist', { trainLimit: 0, testLimit: 500 });
    let hits = 0;
    for (let i = 0; i < ds.test.count; i++) {
      const x = Float32Array.from(ds.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);
      const out = await s.run({ input: new ort.Tensor('float32', x, [1, 1, 28, 28]) });
      const l = out.logits.data as Float32Array;
      if (l.indexOf(Math.max(...l)) === ds.test.labels[i]) hits++;
    }
    // 500 of the 10,000 test images: within 5 points of PyTorch's figure on all of them.
    expect(Math.abs(hits / ds.test.count - meta.testAccuracy)).toBeLessThan(0.05);
    await s.release();
  });
});
