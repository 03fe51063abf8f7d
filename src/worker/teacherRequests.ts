/** Answers the teacher-import commands of the worker protocol (teacherImport.ts does the work). */
import type { TeacherImportCommand, TeacherImportEvent, TrainConfig } from '../domain';
import { datasetInfo, DEFAULT_CONFIG } from '../domain';
import * as tf from '@tensorflow/tfjs';
import type { TrainerEnv } from './trainer';
import { detectPreprocess, importTeacher, teacherBaseline } from './teacherImport';

export async function answerTeacherImport(cmd: Exclude<TeacherImportCommand, { type: 'bench-teacher' }>, env: Pick<TrainerEnv, 'loadData'>): Promise<TeacherImportEvent> {
  if (cmd.type === 'teacher-import') {
    const info = await importTeacher(cmd.files, datasetInfo(cmd.dataset).shape);
    return { type: 'teacher-imported', requestId: cmd.requestId, info };
  }
  // The whole test split for the baseline, whatever the run's fast-mode limits.
  const config: TrainConfig = { ...DEFAULT_CONFIG, ...cmd.config, trainLimit: 0, testLimit: 0 };
  const ds = await env.loadData(config, () => undefined);
  const info = datasetInfo(config.dataset);
  let choice = cmd.choice;
  let detected = null;
  if (cmd.detect) {
    const d = await detectPreprocess(choice, info, ds);
    detected = d.accuracy;
    choice = { ...choice, preprocess: d.best };
  }
  const baseline = await teacherBaseline(choice, info, ds, tf.getBackend());
  return { type: 'teacher-baseline', requestId: cmd.requestId, baseline, detected };
}
