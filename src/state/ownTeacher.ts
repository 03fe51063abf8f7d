/**
 * The user's own teacher in the store: the import's status, what the worker found
 * (ImportedTeacherInfo), the baseline on the current dataset, and the card the pilot card,
 * export and report read when it is the selected teacher (config.importedTeacher), so they never
 * ask where the teacher came from.
 */
import type { DatasetId, ImportedTeacherInfo, PreprocessId, TeacherBaseline, TeacherProgress } from '../domain';
import { DEFAULT_TEACHER, TEACHER_FORMATS } from '../domain';
import type { Studio, TeacherCard, TeacherCardState } from './store';

export interface OwnTeacherState {
  status: 'idle' | 'importing' | 'ready' | 'measuring';
  info: ImportedTeacherInfo | null;
  /** The last failure (import or measurement), naming the file and the fix; the selection is unchanged. */
  error: string | null;
  baseline: (TeacherBaseline & { dataset: DatasetId }) | null;
  /** Accuracy of each input scaling on the labelled training images detection used (64 to 256). */
  detected: Record<PreprocessId, number> | null;
  /** The card built from info + baseline (stored, so selectors return a held value). */
  card: TeacherCardState | null;
  /** The measurement under way: its request id (to cancel it) and its last progress report. */
  measureId?: string | null;
  progress?: TeacherProgress | null;
  /** A plain note about the last measurement (e.g. that it was cancelled). */
  notice?: string | null;
  /** Score on the first `limit` test images (0: all of them); a big teacher starts at 1,000. */
  limit?: number;
}

export const initialOwnTeacher: OwnTeacherState = { status: 'idle', info: null, error: null, baseline: null, detected: null, card: null, measureId: null, progress: null, notice: null, limit: 0 };

/** Activation floats per image above which a teacher is scored on a subset first (a 224 px MobileNetV2 has ≈ 6.6 M). */
export const BIG_TEACHER_FLOATS = 1_000_000;
export const BIG_TEACHER_SUBSET = 1000;

/** The card of an imported teacher measured on `dataset`, shaped like a shipped teacher's card. */
export function ownTeacherCard(info: ImportedTeacherInfo, baseline: TeacherBaseline, dataset: DatasetId, taps: string[]): TeacherCardState {
  return {
    status: 'ok',
    card: {
      dataset, spec: DEFAULT_TEACHER, testAccuracy: baseline.accuracy, costs: info.costs,
      recipe: { source: TEACHER_FORMATS[info.format].label, runtime: TEACHER_FORMATS[info.format].runtime },
      trainedOn: { by: 'the user (imported)', files: info.files },
      imported: {
        name: info.name, format: info.format, fingerprint: info.fingerprint, files: info.files, taps, preprocess: baseline.preprocess,
        latency: baseline.latency, flopsEstimated: info.uncountedOps.length > 0,
      },
    },
  };
}

/** The card of the teacher the next run distils from: the imported one when selected and measured, else the shipped one. */
export const selectActiveTeacherCard = (s: Studio): TeacherCardState | undefined => {
  const chosen = s.config.importedTeacher;
  if (!chosen) return s.teacherCards[s.config.dataset];
  const own = s.ownTeacher.card;
  return own?.status === 'ok' && own.card.imported?.fingerprint === chosen.fingerprint && own.card.dataset === s.config.dataset ? own : undefined;
};
/**
 * The teacher the pilot card, the story line and the report describe: the active one; on a second
 * visit, when the user's own teacher is gone with the tab that imported it, the one recorded with
 * the latest run on this dataset that distilled from it (RunRecord.teacherCard; the chosen one's
 * when a choice is kept).
 */
export const selectCardTeacher = (s: Studio): TeacherCardState | undefined => {
  const active = selectActiveTeacherCard(s);
  if (active?.status === 'ok') return active;
  const chosen = s.config.importedTeacher;
  // A chosen teacher loaded in this tab shows its own state (being measured, failed).
  if (chosen && s.ownTeacher.info?.fingerprint === chosen.fingerprint) return active;
  const card = recordedTeacher(s, chosen?.fingerprint ?? null);
  return card ? recordedState(card) : active;
};

/** The own teacher's card recorded with the latest run on the chosen dataset (of `fingerprint`, when given). */
export function recordedTeacher(s: Pick<Studio, 'runs' | 'runOrder' | 'config'>, fingerprint: string | null): TeacherCard | undefined {
  for (let i = s.runOrder.length - 1; i >= 0; i--) {
    const card = s.runs[s.runOrder[i]]?.teacherCard;
    if (card?.imported && card.dataset === s.config.dataset && (fingerprint == null || card.imported.fingerprint === fingerprint)) return card;
  }
  return undefined;
}

/** One state object per recorded card, so the selector returns a held value. */
const recorded = new WeakMap<TeacherCard, TeacherCardState>();
function recordedState(card: TeacherCard): TeacherCardState {
  let st = recorded.get(card);
  if (!st) recorded.set(card, (st = { status: 'ok', card }));
  return st;
}
export const selectOwnTeacher = (s: Studio) => s.ownTeacher;
export const selectImportedChoice = (s: Studio) => s.config.importedTeacher ?? null;
