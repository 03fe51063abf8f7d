/**
 * The "TF.js inference model" export target: the student with one output (logits, or softmax
 * probabilities), no taps, its preprocessing in the model's metadata, and float16 / int8
 * weight-quantised variants in TF.js's own format (weightsManifest `quantization`, which
 * tf.loadLayersModel dequantises on load):
 *   float16: {dtype: 'float16'}, IEEE half, round to nearest even;
 *   int8:    {dtype: 'uint8', scale, min} per tensor, q = round((v − min)/scale), v ≈ q·scale + min.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetId, ModelFiles, ModelSpec } from '../../domain';
import { datasetInfo } from '../../domain';
import type { TappedModel } from '../types';

export type WeightsKind = 'float32' | 'float16' | 'int8';
export const WEIGHT_KINDS: WeightsKind[] = ['float32', 'float16', 'int8'];

/** How to feed the model, written into its metadata and into the distillation card. */
export function preprocessing(dataset: DatasetId) {
  const d = datasetInfo(dataset);
  const [h, w, c] = d.shape;
  return {
    input: `float32 [batch, ${h}, ${w}, ${c}] (NHWC)`, scale: `pixel / ${d.pixelMax}`, pixelMax: d.pixelMax, range: [0, 1],
    layout: 'NHWC', channels: c === 1 ? 'grayscale' : 'RGB', classNames: d.classNames,
  };
}

interface ManifestJson { modelTopology: unknown; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; [k: string]: unknown }

/** The student of `tm` as a one-output model's files (float32). */
export async function inferenceFiles(tm: TappedModel, dataset: DatasetId, spec: ModelSpec, probabilities: boolean): Promise<ModelFiles> {
  const logits = tm.model.outputs[0];
  const out = probabilities ? (tf.layers.softmax({ name: 'probabilities' }).apply(logits) as tf.SymbolicTensor) : logits;
  const model = tf.model({ inputs: tm.model.inputs, outputs: out, name: `${tm.model.name}_inference` });
  model.setUserDefinedMetadata({ rtkStudioInference: { spec, output: probabilities ? 'probabilities' : 'logits', weights: 'float32', preprocessing: preprocessing(dataset), numClasses: tm.numClasses } });
  return modelFilesOf(model);
}

/** A layers model as the files tf.loadLayersModel reads (model.json with one weights.bin). */
export async function modelFilesOf(model: tf.LayersModel): Promise<ModelFiles> {
  let files: ModelFiles | null = null;
  await model.save(tf.io.withSaveHandler(async (art) => {
    files = {
      modelJson: {
        format: art.format, generatedBy: art.generatedBy, convertedBy: art.convertedBy ?? null,
        modelTopology: art.modelTopology, userDefinedMetadata: art.userDefinedMetadata,
        weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs ?? [] }],
      },
      weights: art.weightData as ArrayBuffer,
    };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return files!;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE 754 half-precision bits of `v` (round to nearest, ties to even). */
export function toHalfBits(v: number): number {
  f32[0] = v;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++; // a carry into the exponent is correct rounding
  return sign | h;
}

/** The same model with its weights quantised (see top); float32 returns the files unchanged. */
export function quantiseFiles(files: ModelFiles, kind: WeightsKind): ModelFiles {
  if (kind === 'float32') return files;
  const json = files.modelJson as unknown as ManifestJson;
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const values = new Float32Array(files.weights);
  const total = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  if (total !== values.length || specs.some((s) => s.dtype !== 'float32' || s.quantization)) {
    throw new Error('quantiseFiles: the model must have plain float32 weights (export the float32 model first).');
  }
  const out = new Uint8Array(kind === 'float16' ? total * 2 : total);
  const view = new DataView(out.buffer);
  const newSpecs: tf.io.WeightsManifestEntry[] = [];
  let off = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const v = values.subarray(off, off + n);
    if (kind === 'float16') {
      for (let i = 0; i < n; i++) view.setUint16((off + i) * 2, toHalfBits(v[i]), true);
      newSpecs.push({ ...s, quantization: { dtype: 'float16' } });
    } else {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) { lo = Math.min(lo, v[i]); hi = Math.max(hi, v[i]); }
      if (n === 0) { lo = 0; hi = 0; }
      const scale = hi > lo ? (hi - lo) / 255 : 1;
      for (let i = 0; i < n; i++) out[off + i] = Math.max(0, Math.min(255, Math.round((v[i] - lo) / scale)));
      newSpecs.push({ ...s, quantization: { dtype: 'uint8', scale, min: lo } });
    }
    off += n;
  }
  const meta = (json.userDefinedMetadata ?? {}) as { rtkStudioInference?: Record<string, unknown> };
  const userDefinedMetadata = meta.rtkStudioInference ? { ...meta, rtkStudioInference: { ...meta.rtkStudioInference, weights: kind } } : meta;
  return {
    modelJson: { ...json, userDefinedMetadata, weightsManifest: [{ paths: ['weights.bin'], weights: newSpecs }] },
    weights: out.buffer,
  };
}
