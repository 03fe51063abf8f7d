/**
 * The browser side of the trainer's environment: backend set-up with the wasm binaries Vite
 * serves, dataset loading (cached per worker), the teacher (shipped, or the user's own from
 * teacherImport.ts), and cost measurement.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo, BuiltInDatasetId, BackendPreference, DatasetId, LatencyPair, LatencyReport, ModelCosts, ModelSpec, TrainConfig, WorkerEvent } from '../domain';
import { datasetInfo, isImportedId, latencyPairStats } from '../domain';
import { initBackend } from '../ml/backend/select';
import { loadDataset } from '../ml/data/loadBrowser';
import { buildModel, tappedFromLayersModel } from '../ml/models';
import { measureLatency, measureLatencyPair, modelCosts } from '../ml/models/costs';
import type { FrozenTeacher } from '../ml/types';
import { importedTeacher } from './teacherImport';
import type { TrainerEnv } from './trainer';
import { DatasetCache } from './datasetCache';
import { loadImportedDataset, loadTrainedTeacher } from './importedData';
import { teacherFeedFor } from './teacherClient';
import { WASM_PATHS } from './wasmAssets';
import { waitForPage } from './pageDrawn';

let backendInfo: BackendInfo | null = null;

export async function setupBackend(pref: BackendPreference, _assetBase: string): Promise<BackendInfo> {
  backendInfo = await initBackend(pref, { wasmPaths: WASM_PATHS });
  return backendInfo;
}

/** Datasets loaded in this worker, one copy each (datasetCache.ts). */
const datasets = new DatasetCache();
const teacherCache = new Map<string, Promise<FrozenTeacher>>();

/** A macrotask yield that is not clamped like nested setTimeout(0). */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(0);
  });
}

export function browserEnv(assetBase: string, emit: (e: WorkerEvent) => void, teacherUrl: string | null): TrainerEnv {
  return {
    emit,
    yieldToEvents,
    pageDrawn: () => waitForPage(emit),
    now: () => performance.now(),
    loadData(config: TrainConfig, onProgress: (msg: string) => void) {
      return datasets.get(config.dataset, { trainLimit: config.trainLimit, testLimit: config.testLimit }, () => isImportedId(config.dataset)
        ? loadImportedDataset(config.dataset, config, onProgress)
        : loadDataset(`${assetBase}datasets`, config.dataset as BuiltInDatasetId, {
          trainLimit: config.trainLimit || undefined,
          testLimit: config.testLimit || undefined,
          onProgress: (msg) => onProgress(msg),
        }));
    },
    teacherFeed: teacherFeedFor,
    async loadTeacher(config: TrainConfig) {
      if (config.importedTeacher) return importedTeacher(config.importedTeacher, datasetInfo(config.dataset));
      if (isImportedId(config.dataset) && !teacherUrl) return loadTrainedTeacher(config.dataset);
      const url = teacherUrl ?? `${assetBase}teachers/${config.dataset}/model.json`;
      let p = teacherCache.get(url);
      if (!p) {
        p = tf.loadLayersModel(url)
          .then((m): FrozenTeacher => tappedFromLayersModel(m, config.teacher))
          .catch((err: unknown) => {
            teacherCache.delete(url);
            throw new Error(`No usable teacher at ${url} (${err instanceof Error ? err.message : String(err)}). ` +
              'Ship one with npm run train:teacher, or pick a dataset that has a shipped teacher.');
          });
        teacherCache.set(url, p);
      }
      return p;
    },
  };
}

/** Parameters, FLOPs and bytes of a spec; optionally latency per image on this backend. */
export async function measureCosts(spec: ModelSpec, dataset: DatasetId, latency: boolean): Promise<{ costs: ModelCosts; latency: LatencyReport | null }> {
  const info = datasetInfo(dataset);
  const tm = buildModel(spec, info.shape, info.numClasses, 1);
  try {
    const costs = modelCosts(tm);
    if (!latency) return { costs, latency: null };
    const l = await measureLatency(tm, { warmup: 5, runs: 30 });
    return { costs, latency: { backend: (tf.getBackend() as BackendInfo['backend']), medianMs: l.medianMs, p95Ms: l.p95Ms, runs: l.runs, batchSize: 1 } };
  } finally {
    tm.model.dispose();
  }
}

/**
 * Teacher and student latency per image in the same window, interleaved after warm-up
 * (src/domain/latencyPair.ts): 5 warm-up runs each, 60 rounds of blocks of about 3 ms each.
 */
export async function measurePair(teacher: ModelSpec, student: ModelSpec, dataset: DatasetId): Promise<LatencyPair> {
  const info = datasetInfo(dataset);
  const t = buildModel(teacher, info.shape, info.numClasses, 1);
  const s = buildModel(student, info.shape, info.numClasses, 1);
  try {
    const r = await measureLatencyPair(t, s, { warmup: 5, rounds: 60, blockMs: 3 });
    return latencyPairStats(r.a, r.b, tf.getBackend() as BackendInfo['backend'], r.block);
  } finally {
    t.model.dispose();
    s.model.dispose();
  }
}
