/**
 * The shipped teachers' cards tell the truth: each teacher in public/teachers loads with
 * tf.loadLayersModel, keeps the architecture its card names, and scores the card's test
 * accuracy on the real test set (±0.05 points for float rounding between runs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DatasetId } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { fillBatch } from '../src/ml/data/batches';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { disposeFrozen, frozenApply, tappedFromLayersModel } from '../src/ml/models';

const ROOT = path.resolve(__dirname, '..');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(ROOT, '../shared/data');
const TEACHERS = path.join(ROOT, 'public', 'teachers');
const shipped = readdirSync(TEACHERS).filter((d) => existsSync(path.join(TEACHERS, d, 'card.json')));

beforeAll(async () => {
  await initBackend('wasm');
});

describe('shipped teachers', () => {
  it('include MNIST and Fashion-MNIST, meeting their accuracy targets', () => {
    const acc = (d: string) => JSON.parse(readFileSync(path.join(TEACHERS, d, 'card.json'), 'utf8')).testAccuracy as number;
    expect(acc('mnist')).toBeGreaterThanOrEqual(0.993);
    expect(acc('fashion-mnist')).toBeGreaterThanOrEqual(0.91);
  });

  it.each(shipped)('%s: the card\'s test accuracy is what the weights score', async (dataset) => {
    const dir = path.join(TEACHERS, dataset);
    const card = JSON.parse(readFileSync(path.join(dir, 'card.json'), 'utf8'));
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const w = readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
      weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength), userDefinedMetadata: json.userDefinedMetadata,
    }));
    const teacher = tappedFromLayersModel(model);
    expect(teacher.spec).toEqual(card.spec);
    const ds = await loadDatasetNode(DATA, dataset as DatasetId);
    const B = 500;
    const [h, wd, c] = ds.shape;
    const x = new Float32Array(B * h * wd * c);
    const y = new Int32Array(B);
    const all = Int32Array.from({ length: ds.test.count }, (_, i) => i);
    let right = 0;
    for (let start = 0; start < all.length; start += B) {
      const n = Math.min(B, all.length - start);
      fillBatch(ds.test, all, start, n, ds.pixelMax, x, y);
      const input = tf.tensor4d(x.subarray(0, n * h * wd * c), [n, h, wd, c]);
      const out = frozenApply(teacher, input);
      const pred = tf.tidy(() => tf.argMax(out.logits, 1).dataSync());
      tf.dispose([input, out.logits, ...out.taps]);
      for (let i = 0; i < n; i++) if (pred[i] === y[i]) right++;
    }
    disposeFrozen(model);
    model.dispose();
    expect(Math.abs(right / ds.test.count - card.testAccuracy)).toBeLessThanOrEqual(0.0005);
  });
});
