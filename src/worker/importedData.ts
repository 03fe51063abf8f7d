/**
 * The imported-images side of the dataset seam in the training worker: reads a dataset the
 * import worker stored in IndexedDB straight into the same `Dataset` a built-in manifest gives,
 * and the teacher trained here on it. The trainer does not know which one it got.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImportedDatasetId, ModelFiles, TrainConfig } from '../domain';
import { infoOfImport, registerDataset } from '../domain';
import { tappedFromLayersModel } from '../ml/models';
import type { Dataset, Split, TappedModel } from '../ml/types';
import { getDataset, getTeacher, readChunk } from './imageDb';

/** Loads imported dataset `id` (its first trainLimit / testLimit images of each split; 0 = all). */
export async function loadImportedDataset(id: ImportedDatasetId, config: Pick<TrainConfig, 'trainLimit' | 'testLimit'>, onProgress: (msg: string) => void): Promise<Dataset> {
  const rec = await getDataset(id);
  if (!rec) throw new Error(`Imported dataset ${id} is not in this browser's storage (it was removed, or imported in another browser). Import the same folder again in step 1.`);
  const { summary } = rec;
  registerDataset(infoOfImport(summary));
  const size = summary.shape[0] * summary.shape[1] * summary.shape[2];
  const nTrainAll = rec.splits.reduce((a, s) => a + (s === 1 ? 1 : 0), 0);
  const nTrain = config.trainLimit ? Math.min(config.trainLimit, nTrainAll) : nTrainAll;
  const nTestAll = rec.count - nTrainAll;
  const nTest = config.testLimit ? Math.min(config.testLimit, nTestAll) : nTestAll;
  const train: Split = { images: new Uint8Array(nTrain * size), labels: new Uint8Array(nTrain), count: nTrain };
  const test: Split = { images: new Uint8Array(nTest * size), labels: new Uint8Array(nTest), count: nTest };
  let tr = 0; let te = 0;
  const chunks = Math.ceil(rec.count / rec.chunkImages);
  for (let c = 0; c < chunks && (tr < nTrain || te < nTest); c++) {
    onProgress(`${summary.name}: reading stored images (${c + 1} of ${chunks})`);
    const px = await readChunk(rec.job, c);
    const end = Math.min(rec.count, (c + 1) * rec.chunkImages);
    for (let i = c * rec.chunkImages; i < end; i++) {
      const from = (i - c * rec.chunkImages) * size;
      if (rec.splits[i] === 1 && tr < nTrain) {
        train.images.set(px.subarray(from, from + size), tr * size); train.labels[tr++] = rec.labels[i];
      } else if (rec.splits[i] === 2 && te < nTest) {
        test.images.set(px.subarray(from, from + size), te * size); test.labels[te++] = rec.labels[i];
      }
    }
  }
  return { id, shape: summary.shape, numClasses: summary.classNames.length, classNames: summary.classNames, pixelMax: 255, train, test };
}

const teachers = new Map<string, { runId: string; model: Promise<TappedModel> }>();

/** The teacher trained in the studio on imported dataset `id`, frozen, or a message saying how to get one. */
export async function loadTrainedTeacher(id: ImportedDatasetId): Promise<TappedModel> {
  const t = await getTeacher(id);
  if (!t) throw new Error('These imported images have no teacher yet: train one in step 2 (Teacher), then run the pilot.');
  const cached = teachers.get(id);
  if (cached?.runId === t.card.runId) return cached.model;
  if (cached) void cached.model.then((m) => m.model.dispose(), () => undefined);
  const model = loadFiles(t.files, t.card.spec);
  teachers.set(id, { runId: t.card.runId, model });
  model.catch(() => teachers.delete(id));
  return model;
}

async function loadFiles(files: ModelFiles, spec: TappedModel['spec']): Promise<TappedModel> {
  const t = { files };
  const json = t.files.modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: t.files.weights,
  }));
  return tappedFromLayersModel(model, spec);
}
