/**
 * An ONNX model without class names and a Teachable-Machine-style metadata.json picked beside it
 * (fixtures/onnx/fashion-alpha/, make_fixture.py --labels-order alpha: trained 1 epoch on real
 * Fashion-MNIST with its classes in alphabetical order). The names come from metadata.json, the
 * label map follows them, and the model then scores on the dataset's labels what PyTorch measured.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATASETS, teacherCompat, type ImportedTeacherInfo, type TeacherFile } from '../../domain';
import { loadDatasetNode } from '../data/loadNode';
import { checkLabels, metadataLabels } from '../teacher/labels';
import type { Dataset } from '../types';
import { readOnnxFiles } from './describe';
import { onnxLabels } from './graph';

const DIR = path.resolve(__dirname, '../../../fixtures/onnx/fashion-alpha');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(__dirname, '../../../../shared/data');
const meta = JSON.parse(readFileSync(path.join(DIR, '../fashion-alpha.json'), 'utf8')) as { testAccuracy: number };
const file = (name: string, bytes = readFileSync(path.join(DIR, name))): TeacherFile =>
  ({ name: `fashion-alpha/${name}`, bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer });
const FASHION = DATASETS['fashion-mnist'];

let fashion: Dataset;
beforeAll(async () => { fashion = await loadDatasetNode(DATA, 'fashion-mnist', { trainLimit: 1, testLimit: 2000 }); });

/** Accuracy on the dataset's labels with the model's class order[j] read as dataset class j. */
async function accuracy(order: number[] | null): Promise<number> {
  const s = await ort.InferenceSession.create(readFileSync(path.join(DIR, 'fashion-alpha.onnx')));
  const n = fashion.test.count;
  const x = Float32Array.from(fashion.test.images.subarray(0, n * 784), (p) => p / 255);
  const logits = (await s.run({ input: new ort.Tensor('float32', x, [n, 1, 28, 28]) })).logits.data as Float32Array;
  await s.release();
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: 10 }, (_, j) => logits[i * 10 + (order ? order[j] : j)]);
    if (row.indexOf(Math.max(...row)) === fashion.test.labels[i]) hits++;
  }
  return hits / n;
}

describe('class names from a metadata.json beside an ONNX model', () => {
  const files = [file('fashion-alpha.onnx'), file('metadata.json')];

  it('the model carries none; the picked metadata.json gives them, and the label map follows them', async () => {
    const { model } = readOnnxFiles(files);
    expect(onnxLabels(model)).toBeNull();
    const labels = metadataLabels(files)!;
    expect(labels).toEqual([...FASHION.classNames].sort());
    const info = { name: 'fashion-alpha', inputShape: [28, 28, 1], numClasses: 10, labels, taps: [], format: 'onnx', layout: 'NCHW' } as unknown as ImportedTeacherInfo;
    const compat = teacherCompat(info, FASHION);
    expect(compat.errors).toEqual([]);
    expect(compat.warnings.join(' ')).toMatch(/mapped by name/);
    // Read in the dataset's order the model is far off; mapped by name it scores what PyTorch measured.
    expect(await accuracy(null)).toBeLessThan(0.5);
    expect(Math.abs(await accuracy(compat.classOrder) - meta.testAccuracy)).toBeLessThan(0.03);
    // Without the metadata.json, the warning says to pick one.
    expect(teacherCompat({ ...info, labels: null }, FASHION).warnings[0]).toMatch(/pick a metadata\.json with "labels".*together with the model file/);
  });

  it('refuses a metadata.json that is broken or names another number of classes', () => {
    expect(() => metadataLabels([file('metadata.json', Buffer.from('{"labels": ['))])).toThrow(/metadata\.json: not valid JSON/);
    expect(() => metadataLabels([file('metadata.json', Buffer.from('{"labels": "Bag"}'))])).toThrow(/"labels" must be a list of class names/);
    expect(metadataLabels([file('metadata.json', Buffer.from('{"imageSize": 28}'))])).toBeNull();
    expect(() => checkLabels(['a', 'b'], 10, 'metadata.json')).toThrow(/metadata\.json lists 2 class names, but the model has 10 outputs/);
  });
});
