/** The shipped pretrained teacher of a dataset (public/teachers/<dataset>/), as a tapped model, in Node. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { tappedFromLayersModel } from '../../src/ml/models';
import type { TappedModel } from '../../src/ml/types';

export async function loadShippedTeacher(dataset: string): Promise<TappedModel> {
  const dir = path.join('public', 'teachers', dataset);
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const w = readFileSync(path.join(dir, 'weights.bin'));
  return tappedFromLayersModel(await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights,
    weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength), userDefinedMetadata: json.userDefinedMetadata,
  })));
}
