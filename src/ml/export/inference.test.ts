import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../models';
import { inferenceFiles, quantiseFiles, toHalfBits } from './inference';

describe('inference export', () => {
  it('has one output (logits or probabilities) and the preprocessing in its metadata', async () => {
    const tm = buildModel({ arch: 'cnn-s1', width: 4, depth: 1 }, [28, 28, 1], 10, 1);
    for (const probabilities of [false, true]) {
      const files = await inferenceFiles(tm, 'mnist', tm.spec, probabilities);
      const json = files.modelJson as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]; modelTopology: object; userDefinedMetadata: { rtkStudioInference: { output: string; preprocessing: { scale: string } } } };
      const m = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: files.weights }));
      expect(m.outputs).toHaveLength(1);
      expect(json.userDefinedMetadata.rtkStudioInference.output).toBe(probabilities ? 'probabilities' : 'logits');
      expect(json.userDefinedMetadata.rtkStudioInference.preprocessing.scale).toBe('pixel / 255');
      const x = tf.randomUniform([2, 28, 28, 1]);
      const y = m.predict(x) as tf.Tensor;
      const ref = tm.apply(x as tf.Tensor4D, false).logits;
      const want = probabilities ? tf.softmax(ref) : ref;
      expect(tf.max(tf.abs(tf.sub(y, want))).dataSync()[0]).toBeLessThan(1e-5);
      if (probabilities) expect(Array.from(tf.sum(y, 1).dataSync()).every((s) => Math.abs(s - 1) < 1e-5)).toBe(true);
      tf.dispose([x, y, ref, want]);
      m.dispose();
    }
    tm.model.dispose();
  });

  it('quantises to float16 and uint8 in the format tf.io decodes, within one step', async () => {
    const tm = buildModel({ arch: 'cnn-s1', width: 4, depth: 1 }, [28, 28, 1], 10, 2);
    const files = await inferenceFiles(tm, 'mnist', tm.spec, false);
    const specs = (files.modelJson as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0].weights;
    const ref = tf.io.decodeWeights(files.weights, specs);
    for (const kind of ['float16', 'int8'] as const) {
      const q = quantiseFiles(files, kind);
      const qs = (q.modelJson as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0].weights;
      expect(q.weights.byteLength).toBe(files.weights.byteLength / (kind === 'float16' ? 2 : 4));
      const got = tf.io.decodeWeights(q.weights, qs);
      for (const s of qs) {
        const a = ref[s.name].dataSync();
        const b = got[s.name].dataSync();
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        const bound = kind === 'int8' ? s.quantization!.scale! / 2 + 1e-6 : Math.max(...Array.from(a, Math.abs)) * 2 ** -11 + 1e-7;
        expect(worst).toBeLessThanOrEqual(bound);
      }
      tf.dispose(Object.values(got));
    }
    tf.dispose(Object.values(ref));
    tm.model.dispose();
  });

  it('rounds to half precision like IEEE 754', () => {
    expect(toHalfBits(1)).toBe(0x3c00);
    expect(toHalfBits(-2)).toBe(0xc000);
    expect(toHalfBits(65504)).toBe(0x7bff);
    expect(toHalfBits(1e6)).toBe(0x7c00);
    expect(toHalfBits(2 ** -24)).toBe(0x0001);
    expect(toHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie → even
    expect(toHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });
});
