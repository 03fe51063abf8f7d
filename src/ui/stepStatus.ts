/**
 * Each step's one-line summary and whether it is finished, from the store's plain data (pure:
 * unit-tested). The setup steps (dataset, teacher, student and method) fold to their summary
 * once a run has used them; the rail shows every step's state.
 */
import { ARCHS, datasetInfo, METHODS, resolvePlan, TEACHER_FORMATS, type TeacherFormat } from '../domain';
import { ofChosenExperiment, selectActiveRun } from '../state/selectors';
import type { Studio } from '../state/store';
import { recordedTeacher } from '../state/ownTeacher';
import { count, pct } from './format';

export type StepId = 'step-dataset' | 'step-teacher' | 'step-student' | 'step-train' | 'explorer' | 'step-card' | 'step-export';

export interface StepInfo { id: StepId; n: number | null; title: string }

/** The rail, in reading order of the story. */
export const STEPS: StepInfo[] = [
  { id: 'step-dataset', n: 1, title: 'Dataset' },
  { id: 'step-teacher', n: 2, title: 'Teacher' },
  { id: 'step-student', n: 3, title: 'Student and method' },
  { id: 'step-train', n: 4, title: 'Training' },
  { id: 'explorer', n: null, title: 'Network view and key explorer' },
  { id: 'step-card', n: 5, title: 'Pilot card' },
  { id: 'step-export', n: 6, title: 'Export and share' },
];

/** Steps that fold to their summary once a run has used them. */
export const AUTO_FOLD = new Set<string>(['step-dataset', 'step-teacher', 'step-student']);
/** Steps the user may fold by hand. */
export const FOLDABLE = new Set<string>([...AUTO_FOLD, 'step-train']);

/** Step 2's line for an imported (own) teacher: it is named, whatever the shipped teacher of the dataset. */
function ownTeacherLine(s: Pick<Studio, 'config' | 'runs' | 'runOrder'> & Partial<Pick<Studio, 'ownTeacher'>>, fingerprint: string, used: boolean): string {
  const own = s.ownTeacher;
  if (!own?.info || own.info.fingerprint !== fingerprint) {
    // A second visit: the teacher left with the tab that imported it; the runs it taught recorded it.
    const gone = recordedTeacher(s, fingerprint)?.imported;
    return gone
      ? `todo|your own teacher ${gone.name} (${TEACHER_FORMATS[gone.format as TeacherFormat]?.label ?? gone.format}) taught the runs here: import its files again to distil from it`
      : 'todo|your own teacher: import its files again (not loaded in this tab)';
  }
  const name = `${own.info.name} (your own, ${TEACHER_FORMATS[own.info.format].label})`;
  const b = own.baseline && own.baseline.fingerprint === fingerprint && own.baseline.dataset === s.config.dataset ? own.baseline : null;
  if (b) return `${used ? 'done' : 'active'}|${name}, test accuracy ${pct(b.accuracy)} on ${count(b.images)} images`;
  return `active|${name}, ${own.status === 'measuring' ? 'measuring its baseline' : 'baseline not measured yet'}`;
}

export type StepState = 'done' | 'active' | 'todo';

/** "state|summary" of one step: a plain string, so a selector of it is stable between reports. */
export function stepLine(s: Pick<Studio, 'config' | 'runs' | 'runOrder' | 'teacherCards' | 'pilot'> & Partial<Pick<Studio, 'datasetsNotReady' | 'ownTeacher'>>, id: string): string {
  const c = s.config;
  // Runs of the dataset and teacher chosen now; the runs table lists the others.
  const mine = s.runOrder.filter((r) => ofChosenExperiment(s.runs[r].config, c));
  const finished = mine.map((r) => s.runs[r]).filter((r) => r.result);
  const used = mine.length > 0;
  const active = selectActiveRun(s as Studio);
  switch (id) {
    case 'step-dataset': {
      const d = datasetInfo(c.dataset);
      if (s.datasetsNotReady?.[c.dataset]) return `todo|${d.label}: not prepared on this machine (npm run datasets)`;
      return `${used ? 'done' : 'active'}|${d.label}: ${d.shape[0]}×${d.shape[1]} ${d.shape[2] === 1 ? 'greyscale' : 'colour'}, ${d.numClasses} classes` +
        (c.trainLimit ? `, up to ${count(c.trainLimit)} of its training images used` : '');
    }
    case 'step-teacher': {
      if (c.importedTeacher) return ownTeacherLine(s, c.importedTeacher.fingerprint, used);
      const t = s.teacherCards[c.dataset];
      if (t?.status === 'ok') return `${used ? 'done' : 'active'}|${ARCHS[t.card.spec.arch]?.label ?? t.card.spec.arch}, test accuracy ${pct(t.card.testAccuracy)}`;
      return `todo|${t?.status === 'missing' ? 'no teacher for this dataset' : 'loading the teacher'}`;
    }
    case 'step-student':
      return `${used ? 'done' : 'active'}|${ARCHS[c.student.arch].label} (width ${c.student.width}, depth ${c.student.depth}${resolvePlan(c.student, datasetInfo(c.dataset).shape) === 'photo' ? ', photo plan' : ''}), ${METHODS[c.method].label.split(' (')[0]}, ` +
        `${c.epochs} epoch${c.epochs === 1 ? '' : 's'}, batch ${c.batchSize}`;
    case 'step-train':
      if (active) return `active|${METHODS[active.method].label.split(' (')[0]}: ${active.message}`;
      return finished.length
        ? `done|${finished.length} run${finished.length === 1 ? '' : 's'} finished: ${finished.slice(-2).map((r) => `${METHODS[r.method].label.split(' (')[0]} ${pct(r.result!.testAccuracy)}`).join(', ')}`
        : 'todo|press Run pilot';
    case 'explorer':
      return finished.some((r) => METHODS[r.method].usesAttention) ? 'done|which teacher keys were kept'
        : mine.some((r) => METHODS[s.runs[r].method].usesAttention) ? 'active|attention run under way' : 'todo|after an RTK or AFD run';
    case 'step-card':
      if (finished.length && (active || s.pilot.status === 'running')) return 'active|filling in while the pilot trains';
      return finished.length ? 'done|accuracy, size, speed and the verdict' : 'todo|after the pilot';
    case 'step-export':
      return finished.length ? 'active|model, card, report and link' : 'todo|after a finished run';
    default:
      return 'todo|';
  }
}

export function parseStepLine(line: string): { state: StepState; summary: string } {
  const i = line.indexOf('|');
  return { state: line.slice(0, i) as StepState, summary: line.slice(i + 1) };
}

const lineSelectors = new Map<string, (s: Studio) => string>();
/** Module-scope selector of one step's line (one cached function per step id). */
export function selectStepLine(id: string): (s: Studio) => string {
  let f = lineSelectors.get(id);
  if (!f) { f = (s) => stepLine(s, id); lineSelectors.set(id, f); }
  return f;
}

/** Whether the setup steps fold on their own: a run (this session's or one restored) has used them. */
export const selectAutoFold = (s: Studio): boolean => s.runOrder.length > 0;
