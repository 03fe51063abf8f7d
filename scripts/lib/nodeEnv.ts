/** The trainer's environment in Node: datasets from a folder, no teacher unless given, events to a callback. */
import { performance } from 'node:perf_hooks';
import type { TrainConfig, WorkerEvent } from '../../src/domain';
import type { TrainerEnv } from '../../src/worker/trainer';
import type { DistillSession } from '../../src/ml/train/session';
import { loadDatasetNode } from '../../src/ml/data/loadNode';
import type { Dataset, TappedModel } from '../../src/ml/types';

export function nodeEnv(opts: {
  dataDir: string;
  emit: (e: WorkerEvent) => void;
  teacher?: TappedModel | null;
  onTrained?: (s: DistillSession) => Promise<void> | void;
}): TrainerEnv {
  return {
    emit: opts.emit,
    now: () => performance.now(),
    yieldToEvents: () => new Promise((r) => setImmediate(r)),
    loadData: (config: TrainConfig): Promise<Dataset> =>
      loadDatasetNode(opts.dataDir, config.dataset, { trainLimit: config.trainLimit || undefined, testLimit: config.testLimit || undefined }),
    loadTeacher: async () => opts.teacher ?? null,
    onTrained: opts.onTrained,
  };
}
