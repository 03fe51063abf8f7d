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
import { getDataset, getTeacher, readChunk, type StoredDataset } from './imageDb';

/** Loads imported dataset `id` (its first trainLimit / testLimit images of each split; 0 = all). */
export async function loadImportedDataset(id: ImportedDatasetId, config: Pick<TrainConfig, 'trainLimit' | 'testLimit'>, onProgress: (msg: string) => void): Promise<Dataset> {
  const rec = await getDataset(id);
  if (!rec) throw new Error(`Imported dataset ${id} is not in this browser's storage (it was removed, or imported in another browser). Import the same folder again in step 1.`);
  const { summary } = rec;
  registerDataset(infoOfImport(summary));
  const size = summary.shape[0] * summary.shape[1] * summary.shape[2];
  const numClasses = summary.classNames.length;
  // Images are stored in path order (class by class); each split is read interleaved by class,
  // so the preview and a trainLimit / testLimit subset hold every class.
  const trainOrder = interleaved(rec.labels, rec.splits, 1, numClasses);
  const testOrder = interleaved(rec.labels, rec.splits, 2, numClasses);
  const nTrain = config.trainLimit ? Math.min(config.trainLimit, trainOrder.length) : trainOrder.length;
  const nTest = config.testLimit ? Math.min(config.testLimit, testOrder.length) : testOrder.length;
  const target = new Int32Array(rec.count).fill(-1);
  for (let j = 0; j < nTrain; j++) target[trainOrder[j]] = j;
  for (let j = 0; j < nTest; j++) target[testOrder[j]] = j;
  const train: Split = { images: new Uint8Array(nTrain * size), labels: new Uint8Array(nTrain), count: nTrain };
  const test: Split = { images: new Uint8Array(nTest * size), labels: new Uint8Array(nTest), count: nTest };
  const chunks = Math.ceil(rec.count / rec.chunkImages);
  for (let c = 0; c < chunks; c++) {
    const from = c * rec.chunkImages;
    const end = Math.min(rec.count, from + rec.chunkImages);
    if (!target.subarray(from, end).some((t) => t >= 0)) continue;
    onProgress(`${summary.name}: reading stored images (${c + 1} of ${chunks})`);
    copyChunk(await readChunk(rec.job, c), from, end, target, rec, size, train, test);
  }
  return { id, shape: summary.shape, numClasses: summary.classNames.length, classNames: summary.classNames, pixelMax: 255, train, test };
}

/**
 * Copies the images of one stored chunk (storage indices from ≤ i < end) to their places in the
 * splits (`target[i]`, -1 = not loaded). Any chunk size reads the same: 1,024 images a chunk in
 * imports saved before chunks were sized by bytes, about 4 MB of pixels since.
 */
export function copyChunk(px: Uint8Array, from: number, end: number, target: Int32Array, rec: Pick<StoredDataset, 'labels' | 'splits'>, size: number, train: Split, test: Split): void {
  for (let i = from; i < end; i++) {
    const j = target[i];
    if (j < 0) continue;
    const split = rec.splits[i] === 1 ? train : test;
    const at = (i - from) * size;
    split.images.set(px.subarray(at, at + size), j * size);
    split.labels[j] = rec.labels[i];
  }
}

/** Indices of the images of one split, taking one image of each class in turn. */
export function interleaved(labels: Uint8Array, splits: Uint8Array, split: number, numClasses: number): number[] {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) if (splits[i] === split) byClass[labels[i]].push(i);
  const out: number[] = [];
  for (let r = 0; out.length < byClass.reduce((a, b) => a + b.length, 0); r++) for (const g of byClass) if (r < g.length) out.push(g[r]);
  return out;
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
