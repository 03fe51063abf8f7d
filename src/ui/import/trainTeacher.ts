/**
 * Trains a teacher here on imported images: the teacher preset (with its size dial) trained on
 * the labels alone by the same trainer as every run (so it has progress, curves and a record
 * like a run), then exported and saved with its card next to the dataset in IndexedDB. The one
 * entry point is trainTeacherHere; the teacher source that loads it is src/worker/importedData.ts.
 */
import type { ImportedDatasetId, ModelSpec, SavedTeacherCardData, TrainConfig } from '../../domain';
import type { TeacherCardState } from '../../state/store';
import type { StudioHandles } from '../context';

/** The shipped teachers' recipe (README, "Shipped teachers"): Adam 0.003 with cosine decay, batch 64. */
export const TEACHER_RECIPE = { learningRate: 0.003, batchSize: 64, lrSchedule: 'cosine' as const };

export function teacherRunConfig(base: TrainConfig, dataset: ImportedDatasetId, spec: ModelSpec, epochs: number): TrainConfig {
  return { ...base, ...TEACHER_RECIPE, dataset, method: 'student-alone', student: spec, teacher: spec, epochs, trainLimit: 0, testLimit: 0 };
}

/** Starts the teacher run; `done` resolves with its card once it is saved (rejects with the reason otherwise). */
export function trainTeacherHere(h: Pick<StudioHandles, 'store' | 'client' | 'importer'>, dataset: ImportedDatasetId, spec: ModelSpec, epochs: number): { runId: string; done: Promise<SavedTeacherCardData> } {
  const config = teacherRunConfig(h.store.getState().config, dataset, spec, epochs);
  const { runId, done } = h.client.startRun(config, { runId: `teacher-${Date.now().toString(36)}` });
  const saved = done.then(async (result) => {
    if (!result) throw new Error('The teacher run stopped before it finished; nothing was saved. Train it again.');
    // With its taps: the distillation methods read them (the inference export has none).
    const files = await h.client.exportWithTaps(runId);
    const card: SavedTeacherCardData = {
      dataset, runId, testAccuracy: result.testAccuracy, spec, costs: result.studentCosts,
      recipe: { optimiser: 'Adam', ...TEACHER_RECIPE, epochs, seed: config.seed, valFraction: config.valFraction },
      trainedOn: { where: 'this browser (trained in the studio)', backend: h.store.getState().backend?.backend ?? 'unknown', wallSeconds: Math.round(result.wallMs / 1000), at: new Date().toISOString() },
    };
    await h.importer.saveTeacher(dataset, files, card);
    h.store.getState().setTeacherCard(dataset, teacherState(card));
    return card;
  });
  return { runId, done: saved };
}

export function teacherState(card: SavedTeacherCardData | null): TeacherCardState {
  return card
    ? { status: 'ok', card: { dataset: card.dataset, spec: card.spec, testAccuracy: card.testAccuracy, costs: card.costs, recipe: card.recipe, trainedOn: card.trainedOn } }
    : { status: 'missing', message: 'These imported images have no teacher yet: train one here (below), then run the pilot.' };
}
