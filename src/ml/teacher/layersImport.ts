/**
 * Import of a TF.js Layers model from the files the user picked (model.json, its weight shards,
 * optionally a Teachable-Machine-style metadata.json with labels). Every check names the file
 * and the fix; nothing is replaced until the model has loaded.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImportedTeacherInfo, PreprocessId, TeacherFile, TeacherTap } from '../../domain';
import type { FrozenTeacher, TapShape } from '../types';
import { flopBreakdown, paramSplit } from '../models/costs';
import { checkLabels, metadataLabels } from './labels';
import { defaultTaps, fingerprintOf, strideOf } from './taps';

const base = (n: string) => n.split('/').pop() ?? n;
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, string: 0, complex64: 8 };

interface ModelJson {
  format?: string;
  modelTopology?: { keras_version?: string; model_config?: unknown; class_name?: string; config?: unknown } & Record<string, unknown>;
  weightsManifest?: { paths: string[]; weights: (tf.io.WeightsManifestEntry & { quantization?: { dtype: string } })[] }[];
  userDefinedMetadata?: Record<string, unknown>;
}

function readJson(file: TeacherFile): ModelJson {
  try {
    return JSON.parse(new TextDecoder().decode(file.bytes)) as ModelJson;
  } catch (err) {
    throw new Error(`${file.name}: not valid JSON (${err instanceof Error ? err.message : String(err)}). Pick the model.json that tensorflowjs_converter wrote.`);
  }
}

/** Keras 3 writes layer configs with "module"/"registered_name" and dtype policies TF.js 4.22 cannot read. */
function isKeras3(json: ModelJson): string | null {
  const v = json.modelTopology?.keras_version;
  if (typeof v === 'string' && v.startsWith('3')) return `keras_version ${v}`;
  const text = JSON.stringify(json.modelTopology ?? {});
  if (text.includes('"registered_name"') || text.includes('"DTypePolicy"')) return 'Keras 3 layer configs (registered_name, DTypePolicy)';
  return null;
}

function unknownLayer(message: string): string | null {
  const m = /Unknown layer: (\w+)/.exec(message) ?? /Unknown (?:layer|class)[^:]*: (\w+)/i.exec(message);
  return m ? m[1] : null;
}

/** Reads and checks the files; returns artifacts ready for tf.loadLayersModel(fromMemory). */
/** Names the missing shard and what was picked; the fix depends on whether any shard was picked at all. */
function missingShard(name: string, shard: string, files: TeacherFile[]): string {
  const bins = files.map((f) => base(f.name)).filter((n) => n.endsWith('.bin'));
  if (!bins.length) return `${name} lists the weight shard ${shard}, and no .bin file was picked with it. Pick ${name} together with its .bin files (or the folder that holds them).`;
  const shown = bins.slice(0, 4).join(', ') + (bins.length > 4 ? `, … (${bins.length} in all)` : '');
  return `${name} lists the weight shard ${shard}, which is not among the .bin files picked (${shown}): the folder is incomplete. Copy ${shard} into it from where the model was converted (or convert again) and import again.`;
}

export function layersArtifacts(files: TeacherFile[]): { artifacts: tf.io.ModelArtifacts; jsonName: string; labels: string[] | null } {
  const jsonFile = files.find((f) => base(f.name) === 'model.json') ?? files.find((f) => /\.json$/i.test(f.name) && base(f.name) !== 'metadata.json');
  if (!jsonFile) throw new Error('No model.json among the files: pick the model.json of a TF.js Layers model with its .bin shards.');
  const json = readJson(jsonFile);
  const name = jsonFile.name;
  if (json.format === 'graph-model') {
    throw new Error(`${name} is a TF.js Graph model, which the studio cannot tap. Convert the source model to a Layers model ` +
      '(tensorflowjs_converter --input_format=keras model.h5 out/) or to ONNX (python -m tf2onnx.convert --saved-model dir --output model.onnx).');
  }
  const k3 = isKeras3(json);
  if (k3) {
    throw new Error(`${name} was written by Keras 3 (${k3}); TF.js 4.22 reads Keras 2 Layers models only. Re-export with tf_keras ` +
      '(TF_USE_LEGACY_KERAS=1, then tensorflowjs_converter --input_format=keras model.h5 out/), or export ONNX with tf2onnx.');
  }
  if (!json.modelTopology || !json.weightsManifest) {
    throw new Error(`${name} has no modelTopology or weightsManifest: it is not a TF.js Layers model.json.`);
  }
  const byName = new Map(files.map((f) => [base(f.name), f]));
  const shards: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      const f = byName.get(base(p));
      if (!f) throw new Error(missingShard(name, base(p), files));
      shards.push(f.bytes);
    }
  }
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const expected = weightSpecs.reduce((a, w) => a + w.shape.reduce((x, d) => x * d, 1) * DTYPE_BYTES[w.quantization?.dtype ?? w.dtype], 0);
  const got = shards.reduce((a, s) => a + s.byteLength, 0);
  if (got < expected) {
    throw new Error(`The weight shards of ${name} hold ${got} bytes but its manifest describes ${expected}: a shard is shorter than it should be ` +
      '(an interrupted download or copy). Copy the .bin files again.');
  }
  const labels = metadataLabels(files);
  const all = new Uint8Array(got);
  let o = 0;
  for (const s of shards) { all.set(new Uint8Array(s), o); o += s.byteLength; }
  return {
    jsonName: name, labels,
    artifacts: { modelTopology: json.modelTopology as tf.io.ModelJSON['modelTopology'], weightSpecs, weightData: all.buffer, userDefinedMetadata: json.userDefinedMetadata as Record<string, object> | undefined },
  };
}

export async function loadLayers(artifacts: tf.io.ModelArtifacts, jsonName: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const cls = unknownLayer(msg);
    if (cls) {
      throw new Error(`${jsonName} uses the layer class ${cls}, which TF.js does not know (a Lambda or custom layer is Python code). ` +
        'Rebuild that part with built-in layers and convert again, or export the model to ONNX.');
    }
    throw new Error(`${jsonName} could not be loaded by TF.js (${msg}).`);
  }
}

function isSoftmax(layer: tf.layers.Layer): boolean {
  const cfg = layer.getConfig() as { activation?: string };
  return layer.getClassName() === 'Softmax' || cfg.activation === 'softmax';
}

/** Checks and describes a loaded model; `fileNames` and `labels` go into the info. */
export async function inspectLayers(model: tf.LayersModel, files: TeacherFile[], labels: string[] | null): Promise<ImportedTeacherInfo> {
  const name = files.find((f) => /\.json$/.test(f.name))?.name ?? 'model.json';
  const inShape = model.inputs[0].shape;
  if (model.inputs.length !== 1 || inShape.length !== 4) {
    throw new Error(`${name}: the model's input is [${inShape.map((d) => d ?? 'batch').join(', ')}], not an image [batch, height, width, channels]. ` +
      'The studio distils image classifiers; pick a model that reads images.');
  }
  const out = model.outputs[0];
  if (out.shape.length !== 2) throw new Error(`${name}: the first output is [${out.shape.join(', ')}], not class scores [batch, classes].`);
  const inputShape = inShape.slice(1) as [number, number, number];
  checkLabels(labels, out.shape[1] as number, 'metadata.json');
  const candidates: TeacherTap[] = [];
  let stemCount = -1;
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    const cls = layer.getClassName();
    if (stemCount < 0 && (cls === 'Add' || cls === 'Concatenate')) stemCount = candidates.length;
    const s = layer.outputShape as (number | null)[];
    if (Array.isArray(s) && s.length === 4 && typeof s[1] === 'number') {
      candidates.push({ name: layer.name, shape: s.slice(1) as TapShape, stride: strideOf(inputShape[0], s[1] as number) });
    }
  }
  const { trainable, nonTrainable } = paramSplit(model);
  const params = trainable + nonTrainable;
  const flops = flopBreakdown(model);
  const softmax = isSoftmax(out.sourceLayer as tf.layers.Layer);
  return {
    fingerprint: await fingerprintOf(files), format: 'tfjs-layers', name: model.name, files: files.map((f) => f.name),
    inputShape, layout: 'NHWC', numClasses: out.shape[1] as number, logitsName: out.sourceLayer.name, softmaxOutput: softmax,
    taps: candidates, defaultTaps: defaultTaps(candidates, Math.max(0, stemCount)), labels,
    costs: { params, flopsPerImage: flops.total, bytes: { fp32: params * 4, fp16: params * 2, int8: params } },
    uncountedOps: flops.uncounted,
    notes: softmax ? ['The model ends in a softmax: the studio uses the log of its probabilities as logits.'] : [],
  };
}

/** A FrozenTeacher over `model` with outputs [logits, ...chosen taps], taking images of `imageShape` (resized when it differs). */
export function layersTeacher(model: tf.LayersModel, info: ImportedTeacherInfo, taps: string[], preprocess: PreprocessId, imageShape = info.inputShape): FrozenTeacher {
  const tapOutputs = taps.map((n) => model.getLayer(n).output as tf.SymbolicTensor);
  const tapped = tf.model({ inputs: model.inputs, outputs: [model.outputs[0], ...tapOutputs], name: `${model.name}_tapped` });
  return {
    model: tapped, inputShape: imageShape, numClasses: info.numClasses, tapNames: taps,
    tapShapes: tapOutputs.map((o) => o.shape.slice(1) as TapShape), preprocess, softmaxOutput: info.softmaxOutput,
  };
}
