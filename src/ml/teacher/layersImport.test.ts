/**
 * TF.js Layers import on real files: the shipped MNIST teacher as a user would pick it
 * (model.json + weights.bin) scores its card's accuracy through the teacher seam, and each bad
 * Layers input (derived here from the real files) is refused with the file and the fix.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TeacherFile } from '../../domain';
import { DATASETS, teacherCompat } from '../../domain';
import { initBackend } from '../backend/select';
import { loadDatasetNode } from '../data/loadNode';
import { fillBatch } from '../data/batches';
import type { Dataset } from '../types';
import { teacherForward } from './forward';
import { inspectLayers, layersArtifacts, layersTeacher, loadLayers } from './layersImport';
import { refusalFor } from './refuse';
import { teacherTapShape } from '../losses/teacherTap';

const ROOT = path.resolve(__dirname, '../../..');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
const read = (p: string): ArrayBuffer => { const b = readFileSync(p); return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer; };
const shipped = (): TeacherFile[] => ['model.json', 'weights.bin'].map((n) => ({ name: n, bytes: read(path.join(ROOT, 'public/teachers/mnist', n)) }));
const card = JSON.parse(readFileSync(path.join(ROOT, 'public/teachers/mnist/card.json'), 'utf8')) as { testAccuracy: number; costs: { params: number; flopsPerImage: number } };
const jsonWith = (edit: (j: Record<string, unknown>) => void): TeacherFile[] => {
  const [json, bin] = shipped();
  const j = JSON.parse(new TextDecoder().decode(json.bytes)) as Record<string, unknown>;
  edit(j);
  return [{ name: 'model.json', bytes: new TextEncoder().encode(JSON.stringify(j)).buffer as ArrayBuffer }, bin];
};

let mnist: Dataset;
beforeAll(async () => {
  await initBackend('wasm');
  mnist = await loadDatasetNode(DATA, 'mnist');
});

describe('importing the shipped MNIST teacher as files', () => {
  it('finds its taps, costs and the card accuracy through the teacher seam', async () => {
    const files = shipped();
    expect(refusalFor(files)).toBeNull();
    const { artifacts, jsonName, labels } = layersArtifacts(files);
    const model = await loadLayers(artifacts, jsonName);
    const info = await inspectLayers(model, files, labels);
    expect(info).toMatchObject({ format: 'tfjs-layers', inputShape: [28, 28, 1], numClasses: 10, layout: 'NHWC', softmaxOutput: false });
    expect(info.costs.params).toBe(card.costs.params);
    expect(info.costs.flopsPerImage).toBe(card.costs.flopsPerImage);
    // Last output per resolution, stem left out: one tap per stage, strides 2, 4, 8.
    expect(info.defaultTaps.map((n) => info.taps.find((t) => t.name === n)!.stride)).toEqual([2, 4, 8]);
    expect(teacherCompat(info, DATASETS.mnist).errors).toEqual([]);
    const teacher = layersTeacher(model, info, info.defaultTaps, 'unit');
    const B = 500;
    const x = new Float32Array(B * 784);
    const y = new Int32Array(B);
    const idx = Int32Array.from({ length: mnist.test.count }, (_, i) => i);
    let correct = 0;
    for (let s = 0; s < idx.length; s += B) {
      fillBatch(mnist.test, idx, s, B, 255, x, y);
      const xt = tf.tensor4d(x, [B, 28, 28, 1]);
      const out = await teacherForward(teacher, xt);
      const pred = await tf.argMax(out.logits, 1).data();
      if (s === 0) expect(out.taps.map(teacherTapShape)).toEqual(teacher.tapShapes);
      tf.dispose([xt, out.logits, ...out.taps]);
      for (let i = 0; i < B; i++) if (pred[i] === y[i]) correct += 1;
    }
    // ±0.05 points for float rounding, as scripts/teachers.test.ts.
    expect(Math.abs(correct / idx.length - card.testAccuracy)).toBeLessThanOrEqual(0.0005);
  }, 120_000);
});

describe('a teacher that reads another image size', () => {
  it('the 28×28 MNIST teacher on the 8×8 digits: images resized (bilinear) before it, taps at its own size', async () => {
    const files = shipped();
    const { artifacts, jsonName, labels } = layersArtifacts(files);
    const model = await loadLayers(artifacts, jsonName);
    const info = await inspectLayers(model, files, labels);
    const compat = teacherCompat(info, DATASETS.digits);
    expect(compat.errors).toEqual([]);
    expect(compat.warnings[0]).toMatch(/reads 28×28 images; 8×8 digits \(tests\) has 8×8: each image is resized/);
    const teacher = layersTeacher(model, info, info.defaultTaps, 'unit', [8, 8, 1]);
    expect(teacher.inputShape).toEqual([8, 8, 1]);
    const digits = await loadDatasetNode(DATA, 'digits');
    const n = 500;
    const x = new Float32Array(n * 64);
    const y = new Int32Array(n);
    fillBatch(digits.train, Int32Array.from({ length: n }, (_, i) => i), 0, n, digits.pixelMax, x, y);
    const xt = tf.tensor4d(x, [n, 8, 8, 1]);
    const out = await teacherForward(teacher, xt);
    expect(out.logits.shape).toEqual([n, 10]);
    expect(out.taps.map(teacherTapShape)).toEqual(teacher.tapShapes);
    const pred = await tf.argMax(out.logits, 1).data();
    let hits = 0;
    for (let i = 0; i < n; i++) if (pred[i] === y[i]) hits += 1;
    const acc = hits / n;
    // 67.2 % when written: far above chance (10 %) for digits it never saw at this size.
    expect(acc).toBeGreaterThan(0.5);
    tf.dispose([xt, out.logits, ...out.taps]);
  });
});

describe('bad TF.js Layers inputs', () => {
  it('model.json without its shards', () => {
    expect(() => layersArtifacts([shipped()[0]])).toThrow(/model\.json lists the weight shard weights\.bin, and no \.bin file was picked with it\. Pick model\.json together with its \.bin files/);
  });

  it('a folder with other shards but not the listed one is called incomplete, not "choose the whole folder"', () => {
    const [json, bin] = shipped();
    let err = '';
    try { layersArtifacts([json, { ...bin, name: 'group1-shard1of2.bin' }]); } catch (e) { err = (e as Error).message; }
    expect(err).toMatch(/lists the weight shard weights\.bin, which is not among the \.bin files picked \(group1-shard1of2\.bin\): the folder is incomplete\. Copy weights\.bin into it/);
    expect(err).not.toMatch(/whole folder/);
  });

  it('a shard shorter than the manifest says', () => {
    const [json, bin] = shipped();
    expect(() => layersArtifacts([json, { name: 'weights.bin', bytes: bin.bytes.slice(0, 1000) }]))
      .toThrow(/weight shards of model\.json hold 1000 bytes but its manifest describes 398488.*Copy the \.bin files again/);
  });

  it('a layer class TF.js does not know (Lambda)', async () => {
    const files = jsonWith((j) => {
      const layers = ((j.modelTopology as { config: { layers: { class_name: string }[] } }).config.layers);
      layers[2].class_name = 'Lambda';
    });
    const { artifacts, jsonName } = layersArtifacts(files);
    await expect(loadLayers(artifacts, jsonName)).rejects.toThrow(/model\.json uses the layer class Lambda, which TF\.js does not know.*export the model to ONNX/);
  });

  it('a Keras 3 model.json', () => {
    const files = jsonWith((j) => { (j.modelTopology as Record<string, unknown>).keras_version = '3.3.3'; });
    expect(() => layersArtifacts(files)).toThrow(/model\.json was written by Keras 3 \(keras_version 3\.3\.3\).*tf_keras/);
  });

  it('a .pt file made by torch.save', () => {
    const pt = { name: 'state-dict.pt', bytes: read(path.join(ROOT, 'fixtures/onnx/bad/state-dict.pt')) };
    expect(refusalFor([pt])).toMatch(/state-dict\.pt is a PyTorch checkpoint.*torch\.onnx\.export\(model\.eval\(\)/);
  });

  it('Keras, TF Lite and SavedModel files get their conversion command', () => {
    const f = (name: string) => [{ name, bytes: new ArrayBuffer(4) }];
    expect(refusalFor(f('model.h5'))).toMatch(/tensorflowjs_converter --input_format=keras model\.h5/);
    expect(refusalFor(f('model.keras'))).toMatch(/tensorflowjs_converter/);
    expect(refusalFor(f('model.tflite'))).toMatch(/tf2onnx\.convert --tflite model\.tflite/);
    expect(refusalFor(f('saved_model.pb'))).toMatch(/--input_format=tf_saved_model/);
  });
});
