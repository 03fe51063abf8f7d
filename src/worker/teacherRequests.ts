/**
 * Answers the teacher-import commands of the worker protocol (teacherImport.ts imports,
 * teacherMeasure.ts measures): a measurement posts its progress and stops, between two passes,
 * when a cancel-request names it.
 */
import type { TeacherImportCommand, TeacherImportEvent, TrainConfig, WorkerEvent } from '../domain';
import { datasetInfo, DEFAULT_CONFIG } from '../domain';
import * as tf from '@tensorflow/tfjs';
import type { TrainerEnv } from './trainer';
import { importTeacher } from './teacherImport';
import { teacherBaseline } from './teacherMeasure';

/** Measurements asked to stop (request ids); each is forgotten once it ends. */
const cancelled = new Set<string>();

/** Asks the measurement `requestId` to stop before its next pass. */
export function cancelRequest(requestId: string): void {
  cancelled.add(requestId);
}

export async function answerTeacherImport(
  cmd: Extract<TeacherImportCommand, { type: 'teacher-import' | 'teacher-baseline' }>, env: Pick<TrainerEnv, 'loadData'>, post: (e: WorkerEvent) => void,
): Promise<TeacherImportEvent> {
  if (cmd.type === 'teacher-import') {
    const info = await importTeacher(cmd.files, datasetInfo(cmd.dataset).shape);
    return { type: 'teacher-imported', requestId: cmd.requestId, info };
  }
  // The whole test split is loaded whatever the run's fast-mode limits; `limit` states a subset.
  const config: TrainConfig = { ...DEFAULT_CONFIG, ...cmd.config, trainLimit: 0, testLimit: 0 };
  const { requestId } = cmd;
  try {
    const ds = await env.loadData(config, () => undefined);
    const { baseline, detected } = await teacherBaseline(cmd.choice, datasetInfo(config.dataset), ds, tf.getBackend(), {
      detect: cmd.detect, limit: cmd.limit,
      cancelled: () => cancelled.has(requestId),
      progress: (progress) => post({ type: 'teacher-progress', requestId, progress }),
    });
    return { type: 'teacher-baseline', requestId, baseline, detected };
  } finally {
    cancelled.delete(requestId);
  }
}
