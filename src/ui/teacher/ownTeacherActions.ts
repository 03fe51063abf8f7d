/**
 * What the "your own teacher" controls do: read the picked files, import them in the worker,
 * select the teacher only once it imported, measure its baseline, and remember the tap choice per
 * model fingerprint (localStorage). A failure keeps whatever teacher was selected before.
 */
import type { StudioClient } from '../../bridge/client';
import type { PreprocessId, TeacherChoice, TeacherFile } from '../../domain';
import { datasetInfo, teacherCompat } from '../../domain';
import { BIG_TEACHER_FLOATS, BIG_TEACHER_SUBSET, ownTeacherCard } from '../../state/ownTeacher';
import type { StudioStore } from '../../state/store';

const TAPS_KEY = (fp: string) => `rtk-studio:teacher-taps:${fp}`;

export function rememberedTaps(fingerprint: string, available: string[]): string[] | null {
  try {
    const raw = globalThis.localStorage?.getItem(TAPS_KEY(fingerprint));
    const taps = raw ? (JSON.parse(raw) as string[]) : null;
    return taps && taps.every((t) => available.includes(t)) ? taps : null;
  } catch {
    return null;
  }
}

function rememberTaps(fingerprint: string, taps: string[]): void {
  try { globalThis.localStorage?.setItem(TAPS_KEY(fingerprint), JSON.stringify(taps)); } catch { /* storage off: not remembered */ }
}

export async function readPicked(list: FileList | File[]): Promise<TeacherFile[]> {
  const files = Array.from(list);
  return Promise.all(files.map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: await f.arrayBuffer() })));
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** The latest import: an older one still in flight when a newer starts is dropped on arrival. */
let importGeneration = 0;

/** Measures the selected imported teacher on the current dataset (and detects its scaling first when asked). */
export async function measureOwnTeacher(store: StudioStore, client: StudioClient, detect: boolean): Promise<void> {
  const st = store.getState();
  const choice = st.config.importedTeacher;
  const info = st.ownTeacher.info;
  if (!choice || !info) return;
  st.setOwnTeacher({ status: 'measuring', error: null, notice: null, progress: null, measureId: null });
  const mine = () => store.getState().config.importedTeacher?.fingerprint === choice.fingerprint;
  try {
    const { baseline, detected } = await client.teacherBaseline(choice, st.config, detect, {
      limit: st.ownTeacher.limit ?? 0,
      onStart: (measureId) => store.getState().setOwnTeacher({ measureId }),
      onProgress: (progress) => {
        if (!mine()) return;
        const d = progress.detected;
        // The scaling detected is kept at once: a cancelled scoring after it still leaves it chosen.
        if (d) {
          const now = store.getState().config.importedTeacher;
          if (now) store.getState().setConfig({ importedTeacher: { ...now, preprocess: d.best } });
          store.getState().setOwnTeacher({ detected: d.accuracy });
          return;
        }
        store.getState().setOwnTeacher({ progress });
      },
    });
    // Another teacher was imported or chosen meanwhile: this baseline is not its.
    if (!mine()) return;
    const dataset = store.getState().config.dataset;
    if (baseline.preprocess !== choice.preprocess) store.getState().setConfig({ importedTeacher: { ...choice, preprocess: baseline.preprocess } });
    store.getState().setOwnTeacher({
      status: 'ready', baseline: { ...baseline, dataset }, detected: detected ?? store.getState().ownTeacher.detected,
      card: ownTeacherCard(info, baseline, dataset, choice.taps), measureId: null, progress: null,
    });
  } catch (err) {
    if (!mine()) return;
    const text = message(err);
    const stopped = /^Cancelled/.test(text);
    store.getState().setOwnTeacher({ status: 'ready', error: stopped ? null : text, notice: stopped ? text : null, measureId: null, progress: null });
  }
}

/** Stops the measurement under way (the worker stops before its next pass). */
export function cancelOwnMeasure(store: StudioStore, client: StudioClient): void {
  const id = store.getState().ownTeacher.measureId;
  if (id) client.cancelTeacherMeasure(id);
}

/** Score on the first `limit` test images (0: all). */
export function chooseScoreLimit(store: StudioStore, limit: number): void {
  store.getState().setOwnTeacher({ limit });
}

export async function importOwnTeacher(store: StudioStore, client: StudioClient, list: FileList | File[]): Promise<void> {
  const prev = store.getState().ownTeacher;
  const generation = ++importGeneration;
  store.getState().setOwnTeacher({ status: 'importing', error: null });
  try {
    const files = await readPicked(list);
    if (files.length === 0) throw new Error('No files were chosen.');
    const dataset = store.getState().config.dataset;
    const info = await client.importTeacher(files, dataset);
    // A newer import started while this one was in the worker: the newer one decides.
    if (generation !== importGeneration) return;
    // Refused before it replaces anything: a model that cannot run on this dataset.
    const compat = teacherCompat(info, datasetInfo(dataset));
    if (compat.errors.length) throw new Error(`${info.files.join(', ')}: ${compat.errors.join(' ')}`);
    const taps = rememberedTaps(info.fingerprint, info.taps.map((t) => t.name)) ?? info.defaultTaps;
    // A big teacher (224 px MobileNetV2 and up) is scored on a stated subset first; the card offers all.
    const limit = (info.activationFloats ?? 0) > BIG_TEACHER_FLOATS ? BIG_TEACHER_SUBSET : 0;
    store.getState().setOwnTeacher({ status: 'ready', info, baseline: null, detected: null, card: null, limit, notice: null });
    store.getState().setConfig({ importedTeacher: { fingerprint: info.fingerprint, taps, preprocess: 'unit' } });
    // The input scaling is detected on a small labelled sample before the first baseline, so an
    // ImageNet-normalised model is not first shown at chance.
    await measureOwnTeacher(store, client, true);
  } catch (err) {
    if (generation !== importGeneration) return;
    // The teacher selected before (shipped or imported) stays selected.
    store.getState().setOwnTeacher({ ...prev, status: prev.info ? 'ready' : 'idle', error: message(err) });
  }
}

export function chooseTaps(store: StudioStore, taps: string[]): void {
  const choice = store.getState().config.importedTeacher;
  if (!choice) return;
  rememberTaps(choice.fingerprint, taps);
  store.getState().setConfig({ importedTeacher: { ...choice, taps } });
}

export function choosePreprocess(store: StudioStore, preprocess: PreprocessId): void {
  const choice = store.getState().config.importedTeacher;
  if (choice) store.getState().setConfig({ importedTeacher: { ...choice, preprocess } });
}

/** Distil from the shipped teacher again, or from the imported one (kept in this tab). */
export function distilFromImported(store: StudioStore, on: boolean): void {
  const st = store.getState();
  const info = st.ownTeacher.info;
  if (!on || !info) { st.setConfig({ importedTeacher: null }); return; }
  const choice: TeacherChoice = { fingerprint: info.fingerprint, taps: rememberedTaps(info.fingerprint, info.taps.map((t) => t.name)) ?? info.defaultTaps, preprocess: st.ownTeacher.baseline?.preprocess ?? 'unit' };
  st.setConfig({ importedTeacher: choice });
}
