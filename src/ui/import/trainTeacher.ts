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

/**
 * The teacher run's config. `trainImages` (the import's training images): a set smaller than
 * one batch of the recipe trains with one batch of all that validation leaves.
 */
export function teacherRunConfig(base: TrainConfig, dataset: ImportedDatasetId, spec: ModelSpec, epochs: number, trainImages = Infinity): TrainConfig {
  const usable = trainImages - Math.round(trainImages * base.valFraction);
  const batchSize = Math.max(1, Math.min(TEACHER_RECIPE.batchSize, usable));
  return { ...base, ...TEACHER_RECIPE, batchSize, dataset, method: 'student-alone', student: spec, teacher: spec, epochs, trainLimit: 0, testLimit: 0,
    // The recipe is Adam on the plain images, whatever the pilot's own optimiser and augmentation.
    optimizer: 'adam', augment: 'none' };
}

/** Starts the teacher run; `done` resolves with its card once it is saved (rejects with the reason otherwise). */
export function trainTeacherHere(h: Pick<StudioHandles, 'store' | 'client' | 'importer'>, dataset: ImportedDatasetId, spec: ModelSpec, epochs: number): { runId: string; done: Promise<SavedTeacherCardData> } {
  const summary = h.store.getState().imported[dataset];
  const config = teacherRunConfig(h.store.getState().config, dataset, spec, epochs, summary ? summary.trainPerClass.reduce((a, b) => a + b, 0) : Infinity);
  const { runId, done } = h.client.startRun(config, { runId: `teacher-${Date.now().toString(36)}` });
  const saved = done.then(async (result) => {
    if (!result) {
      // The worker's reason, when the run failed; "stopped" only when it was stopped.
      const run = h.store.getState().runs[runId];
      if (run?.state === 'failed') throw new Error(`The teacher run failed; nothing was saved. ${run.error ?? run.message}`);
      throw new Error('The teacher run was stopped before it finished; nothing was saved. Train it again when you are ready.');
    }
    // With its taps: the distillation methods read them (the inference export has none).
    const files = await h.client.exportWithTaps(runId);
    const card: SavedTeacherCardData = {
      dataset, runId, testAccuracy: result.testAccuracy, spec, costs: result.studentCosts,
      recipe: { optimiser: 'Adam', ...TEACHER_RECIPE, batchSize: config.batchSize, epochs, seed: config.seed, valFraction: config.valFraction },
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
