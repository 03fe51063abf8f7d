/** Loads a TF.js Layers model folder as a user would (tf.loadLayersModel) and scores it on a split. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../src/ml/types';
import { fillBatch } from '../../src/ml/data/batches';

export async function loadFolder(dir: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const bins = json.weightsManifest.flatMap((g: { paths: string[] }) => g.paths).map((p: string) => readFileSync(path.join(dir, p)));
  const w = Buffer.concat(bins);
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g: { weights: tf.io.WeightsManifestEntry[] }) => g.weights),
    weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength), userDefinedMetadata: json.userDefinedMetadata,
  }));
}

/** Test accuracy of the model's first output (logits or probabilities: argmax is the same). */
export async function accuracyOf(model: tf.LayersModel, ds: Dataset, batch = 256): Promise<{ accuracy: number; outputs: number }> {
  const [h, w, c] = ds.shape;
  const x = new Float32Array(batch * h * w * c);
  const y = new Int32Array(batch);
  const idx = Int32Array.from({ length: ds.test.count }, (_, i) => i);
  let correct = 0;
  for (let s = 0; s < idx.length; s += batch) {
    const n = Math.min(batch, idx.length - s);
    fillBatch(ds.test, idx, s, n, ds.pixelMax, x, y);
    const pred = tf.tidy(() => {
      const out = model.predict(tf.tensor4d(x.subarray(0, n * h * w * c), [n, h, w, c]));
      return tf.argMax(Array.isArray(out) ? out[0] : out, 1);
    });
    const p = await pred.data();
    pred.dispose();
    for (let i = 0; i < n; i++) if (p[i] === y[i]) correct++;
  }
  return { accuracy: correct / idx.length, outputs: model.outputs.length };
}
