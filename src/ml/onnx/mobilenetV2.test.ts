/**
 * torchvision's MobileNetV2 at 224 px (fixtures/onnx/photo-mobilenet-v2.onnx, the photo teacher
 * of issue 26, made by scripts/photo-fixture/make_photo_teacher.py): its first residual Add comes
 * at 56 px, so the 112 px maps are stem and its default taps start at stride 4, the finest tap of
 * the photo students (src/ml/models/archs.ts): no 112×112 map is carried in a batch.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxInputOf, onnxTapsOf, readOnnxFiles } from './describe';
import { nodeValues, withOutputs } from './graph';

const FIX = path.resolve(__dirname, '../../../fixtures/onnx');

describe('MobileNetV2 at 224 px (torchvision, ONNX opset 13)', () => {
  it('default taps: the last map at 56, 28, 14 and 7 px, none at 112 px', async () => {
    const file0 = path.join(FIX, 'photo-mobilenet-v2.onnx');
    // Not in git (8.9 MB): npm test builds it first.
    if (!existsSync(file0)) throw new Error(`${file0} is missing: run npm run fixtures (npm test does) to build it.`);
    const bytes = readFileSync(file0);
    const { model, file } = readOnnxFiles([{ name: 'photo-mobilenet-v2.onnx', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer }]);
    const io = onnxInputOf(model, file, [32, 32, 3]);
    expect(io.inputShape).toEqual([224, 224, 3]);
    const s = await ort.InferenceSession.create(withOutputs(model, nodeValues(model).map((v) => v.value)));
    const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(3 * 224 * 224), io.probeDims) });
    await s.release();
    const dims = new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
    const t = onnxTapsOf(model, file, dims, io);
    // The 112 px maps are candidates the user may still pick, not defaults.
    expect(t.taps.some((x) => x.shape[0] === 112)).toBe(true);
    const shapes = t.defaultTaps.map((n) => t.taps.find((x) => x.name === n)!);
    expect(shapes.map((x) => x.shape[0])).toEqual([56, 28, 14, 7]);
    expect(shapes.map((x) => x.stride)).toEqual([4, 8, 16, 32]);
  }, 120_000);
});
