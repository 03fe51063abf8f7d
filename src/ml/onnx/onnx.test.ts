/**
 * The ONNX teacher path on the committed fixtures (fixtures/onnx, made by
 * scripts/onnx-fixture/make_fixture.py): graph reading and editing with protobufjs, taps found
 * from a real run (onnxruntime-node, the same runtime as onnxruntime-web), the studio's accuracy
 * against PyTorch's, and each bad ONNX input refused by name.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, teacherCompat, type ImportedTeacherInfo, type TeacherFile } from '../../domain';
import { loadDatasetNode } from '../data/loadNode';
import type { Dataset } from '../types';
import { onnxInputOf, onnxTapsOf, readOnnxFiles } from './describe';
import { decodeOnnx, encodeOnnx, nhwcName, nodeValues, onnxFlops, onnxParams, summaryNames, teacherGraph, withOutputs, type OnnxModel } from './graph';
import { summarizeTap } from '../losses/teacherTap';
import { nchwToNhwc, nhwcToNchw } from './layout';

const FIX = path.resolve(__dirname, '../../../fixtures/onnx');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../../shared/data');
const fixture = JSON.parse(readFileSync(path.join(FIX, 'fixture.json'), 'utf8')) as { testAccuracy: number; params: number };
const file = (rel: string): TeacherFile => {
  const b = readFileSync(path.join(FIX, rel));
  return { name: path.basename(rel), bytes: b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
};

async function probe(model: OnnxModel, dims: number[]): Promise<Map<string, number[]>> {
  const all = withOutputs(model, nodeValues(model).map((v) => v.value));
  const s = await ort.InferenceSession.create(all);
  const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(dims.reduce((a, d) => a * d, 1)), dims) });
  return new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
}

function info(name: string, taps: ImportedTeacherInfo['taps'], numClasses: number, inputShape: [number, number, number]): ImportedTeacherInfo {
  return { fingerprint: 'f', format: 'onnx', name, files: [name], inputShape, layout: 'NCHW', numClasses, logitsName: 'logits', softmaxOutput: false,
    taps, defaultTaps: [], labels: null, costs: { params: 0, flopsPerImage: 0, bytes: { fp32: 0, fp16: 0, int8: 0 } }, uncountedOps: [], notes: [] };
}

let fashion: Dataset;
beforeAll(async () => { fashion = await loadDatasetNode(DATA, 'fashion-mnist'); });

describe('the ONNX fixture (small ResNet, Fashion-MNIST, torch.onnx.export)', () => {
  const { model, file: name } = readOnnxFiles([file('fashion-resnet.onnx')]);
  const io = onnxInputOf(model, name, [28, 28, 1]);

  it('reads its NCHW image input, and its weights count matches PyTorch (BN folded into the convs on export)', () => {
    expect(io).toMatchObject({ inputName: 'input', layout: 'NCHW', inputShape: [28, 28, 1] });
    // torch.onnx.export folds each BN into its conv: PyTorch's count minus the BN γ, β (and the
    // folded conv biases added), so it is close to, not equal to, PyTorch's.
    expect(onnxParams(model)).toBeGreaterThan(0.9 * fixture.params);
    expect(onnxParams(model)).toBeLessThan(1.1 * fixture.params);
  });

  it('lists its 4-D values as NHWC taps and picks the last one at each resolution, stem left out', async () => {
    const dims = await probe(model, io.probeDims);
    const t = onnxTapsOf(model, name, dims, io);
    expect(t.numClasses).toBe(10);
    expect(t.softmax).toBe(false);
    const shapes = t.defaultTaps.map((n) => t.taps.find((x) => x.name === n)!.shape);
    expect(shapes).toEqual([[28, 28, 16], [14, 14, 32], [7, 7, 64]]);
    expect(t.defaultTaps.map((n) => t.taps.find((x) => x.name === n)!.stride)).toEqual([1, 2, 4]);
    // The stem's output (before the first residual Add) is a candidate but not a default.
    expect(t.taps.length).toBeGreaterThan(t.defaultTaps.length);
    const flops = onnxFlops(model, dims);
    expect(flops.uncounted).toEqual([]);
    // Conv FLOPs dominate: 2 · Σ out·k²·C_in, about 2 × 10 M multiply-adds for this net.
    expect(flops.flops).toBeGreaterThan(5e6);
  });

  it('scores on the real test set what PyTorch measured (within 0.1 points), taps added as outputs, NCHW taps back to NHWC', async () => {
    const dims = await probe(model, io.probeDims);
    const t = onnxTapsOf(model, name, dims, io);
    const session = await ort.InferenceSession.create(withOutputs(model, t.defaultTaps));
    const B = 500;
    let correct = 0;
    for (let s = 0; s < fashion.test.count; s += B) {
      const x = Float32Array.from(fashion.test.images.subarray(s * 784, (s + B) * 784), (p) => p / 255);
      const out = await session.run({ input: new ort.Tensor('float32', nhwcToNchw(x, B, 28, 28, 1), [B, 1, 28, 28]) });
      const logits = out.logits.data as Float32Array;
      for (let i = 0; i < B; i++) {
        let best = 0;
        for (let k = 1; k < 10; k++) if (logits[i * 10 + k] > logits[i * 10 + best]) best = k;
        if (best === fashion.test.labels[s + i]) correct += 1;
      }
      if (s === 0) {
        const tap = out[t.defaultTaps[2]];
        expect([...tap.dims]).toEqual([B, 64, 7, 7]);
        const nhwc = nchwToNhwc(tap.data as Float32Array, B, 64, 7, 7);
        // Element (b=3, y=2, x=5, c=10) in both layouts.
        expect(nhwc[((3 * 7 + 2) * 7 + 5) * 64 + 10]).toBe((tap.data as Float32Array)[((3 * 64 + 10) * 7 + 2) * 7 + 5]);
      }
    }
    expect(Math.abs(correct / fashion.test.count - fixture.testAccuracy)).toBeLessThanOrEqual(0.001);
  }, 120_000);

  it('as the studio runs it (teacherGraph): reads NHWC images, returns the NCHW run\'s logits and each tap\'s summary, at opset 13 and 18', async () => {
    const dims = await probe(model, io.probeDims);
    const t = onnxTapsOf(model, name, dims, io);
    const B = 4;
    const x = Float32Array.from(fashion.test.images.subarray(0, B * 784), (p) => p / 255);
    const nchw = await (await ort.InferenceSession.create(withOutputs(model, t.defaultTaps)))
      .run({ input: new ort.Tensor('float32', nhwcToNchw(x, B, 28, 28, 1), [B, 1, 28, 28]) });
    // Opset 18 takes ReduceMean's axes as an input, not an attribute: both forms are checked.
    const opset18 = decodeOnnx(encodeOnnx(model), name);
    opset18.opsetImport = [{ domain: '', version: 18 }];
    for (const m of [model, opset18]) {
      const run = await (await ort.InferenceSession.create(teacherGraph(m, t.defaultTaps, 'NCHW')))
        .run({ [nhwcName('input')]: new ort.Tensor('float32', x, [B, 28, 28, 1]) });
      expect(Array.from(run.logits.data as Float32Array)).toEqual(Array.from(nchw.logits.data as Float32Array));
      for (const tap of t.defaultTaps) {
        const [b, c, h, w] = nchw[tap].dims;
        const { pooled, energy } = summaryNames(tap);
        expect([...run[pooled].dims]).toEqual([b, c]);
        expect([...run[energy].dims]).toEqual([b, h, w]);
        const want = summarizeTap(tf.tensor4d(nchwToNhwc(nchw[tap].data as Float32Array, b, c, h, w), [b, h, w, c]));
        for (const [got, ref] of [[run[pooled].data, want.pooled.dataSync()], [run[energy].data, want.energy.dataSync()]] as Float32Array[][]) {
          const scale = ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
          expect(scale).toBeGreaterThan(0);
          got.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-5 * scale));
        }
        tf.dispose(want);
      }
    }
  });

  it('resizes images of another size in the graph (Resize, half-pixel bilinear) as TF.js teachers do', async () => {
    const B = 3;
    const small = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(fashion.test.images.subarray(0, B * 784), (p) => p / 255), [B, 28, 28, 1]), [20, 20], false, true));
    const up = tf.tidy(() => tf.image.resizeBilinear(small as tf.Tensor4D, [28, 28], false, true));
    const viaTf = await (await ort.InferenceSession.create(withOutputs(model, [])))
      .run({ input: new ort.Tensor('float32', nhwcToNchw(up.dataSync() as Float32Array, B, 28, 28, 1), [B, 1, 28, 28]) });
    const inGraph = await (await ort.InferenceSession.create(teacherGraph(model, [], 'NCHW', { from: [20, 20], to: [28, 28] })))
      .run({ [nhwcName('input')]: new ort.Tensor('float32', small.dataSync() as Float32Array, [B, 20, 20, 1]) });
    const a = viaTf.logits.data as Float32Array;
    const b = inGraph.logits.data as Float32Array;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-3);
    tf.dispose([small, up]);
  });

  it('survives a decode → encode round trip byte for byte', () => {
    const bytes = new Uint8Array(file('fashion-resnet.onnx').bytes);
    expect(Buffer.from(encodeOnnx(decodeOnnx(bytes, name))).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('bad ONNX inputs, each refused with the file and the fix', () => {
  it('a truncated file', () => {
    const f = file('fashion-resnet.onnx');
    const cut = { name: 'fashion-resnet.onnx', bytes: f.bytes.slice(0, Math.floor(f.bytes.byteLength * 0.6)) };
    expect(() => readOnnxFiles([cut])).toThrow(/fashion-resnet\.onnx is not a complete ONNX model .*truncated.*Export it again/);
  });

  it('external weights whose .data file was not chosen', () => {
    expect(() => readOnnxFiles([file('bad/external-weights.onnx')])).toThrow(/external-weights\.onnx keeps its weights in external-weights\.onnx\.data, which was not chosen\. Pick/);
  });

  it('external weights given beside the model are copied in, and the model then runs', async () => {
    const m = readOnnxFiles([file('fashion-resnet.onnx')]).model;
    const data = new Uint8Array(m.graph.initializer.reduce((a, t) => a + (t.rawData?.length ?? 0), 0));
    let o = 0;
    for (const t of m.graph.initializer) {
      const raw = t.rawData ?? new Uint8Array(0);
      data.set(raw, o);
      t.externalData = [{ key: 'location', value: 'w.data' }, { key: 'offset', value: String(o) }, { key: 'length', value: String(raw.length) }];
      t.dataLocation = 1;
      t.rawData = new Uint8Array(0);
      o += raw.length;
    }
    const ext = encodeOnnx(m);
    const back = readOnnxFiles([{ name: 'm.onnx', bytes: ext.slice().buffer }, { name: 'w.data', bytes: data.buffer }]).model;
    const s = await ort.InferenceSession.create(encodeOnnx(back));
    const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(784), [1, 1, 28, 28]) });
    expect(out.logits.dims).toEqual([1, 10]);
  });

  it('a [1,128] input (not an image)', () => {
    const { model } = readOnnxFiles([file('bad/vector-input.onnx')]);
    expect(() => onnxInputOf(model, 'vector-input.onnx', [28, 28, 1])).toThrow(/vector-input\.onnx: its input input is \[batch, 128\], not an image/);
  });

  it('more classes than the dataset has', async () => {
    const { model } = readOnnxFiles([file('bad/twenty-classes.onnx')]);
    const io = onnxInputOf(model, 'twenty-classes.onnx', [28, 28, 1]);
    const t = onnxTapsOf(model, 'twenty-classes.onnx', await probe(model, io.probeDims), io);
    const c = teacherCompat(info('twenty-classes', t.taps, t.numClasses, io.inputShape), DATASETS['fashion-mnist']);
    expect(c.errors[0]).toMatch(/twenty-classes has 20 classes; Fashion-MNIST has 10\. Pick the dataset the model was trained for/);
  });

  it('no spatial feature maps: KD only, and the studio says why', async () => {
    const { model } = readOnnxFiles([file('bad/no-feature-maps.onnx')]);
    const io = onnxInputOf(model, 'no-feature-maps.onnx', [28, 28, 1]);
    const t = onnxTapsOf(model, 'no-feature-maps.onnx', await probe(model, io.probeDims), io);
    expect(t.taps).toEqual([]);
    const c = teacherCompat(info('no-feature-maps', t.taps, t.numClasses, io.inputShape), DATASETS['fashion-mnist']);
    expect(c.errors).toEqual([]);
    expect(c.kdOnly).toBe(true);
    expect(c.warnings.join(' ')).toMatch(/no 4-D feature maps .* only KD can distil it/);
  });
});
