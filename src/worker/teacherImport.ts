/**
 * The imported teachers of this worker (the user's own models), by fingerprint: import (checks,
 * taps, costs, activation size) and the FrozenTeacher a run distils from (teacherMeasure.ts
 * measures it). A failed import changes nothing already imported.
 */
import type { DatasetInfo, ImportedTeacherInfo, PreprocessId, TeacherChoice, TeacherFile } from '../domain';
import { teacherCompat } from '../domain';
import { inspectLayers, layersArtifacts, layersTeacher, loadLayers } from '../ml/teacher/layersImport';
import { refusalFor } from '../ml/teacher/refuse';
import type { FrozenTeacher } from '../ml/types';
import { layersActivationFloats } from './teacherClient';

interface Entry {
  info: ImportedTeacherInfo;
  build(taps: string[], preprocess: PreprocessId, imageShape: [number, number, number]): Promise<FrozenTeacher>;
}

const imported = new Map<string, Entry>();
const built = new Map<string, Promise<FrozenTeacher>>();

/** Checks and registers the files as a teacher; throws a message naming the file and the fix. */
export async function importTeacher(files: TeacherFile[], fallbackShape: [number, number, number]): Promise<ImportedTeacherInfo> {
  const refusal = refusalFor(files);
  if (refusal) throw new Error(refusal);
  let entry: Entry;
  if (files.some((f) => /\.onnx$/i.test(f.name))) {
    const { importOnnx } = await import('./onnxTeacher');
    const onnx = await importOnnx(files, fallbackShape);
    entry = { info: onnx.info, build: (taps, p, shape) => onnx.build(taps, p, shape) };
  } else {
    const { artifacts, jsonName, labels } = layersArtifacts(files);
    const model = await loadLayers(artifacts, jsonName);
    const info = { ...(await inspectLayers(model, files, labels)), activationFloats: layersActivationFloats(model) };
    entry = { info, build: async (taps, p, shape) => layersTeacher(model, info, taps, p, shape) };
  }
  imported.set(entry.info.fingerprint, entry);
  return entry.info;
}

/** What the import of `fingerprint` found (its activation size sizes the scoring batches). */
export function importedInfo(fingerprint: string): ImportedTeacherInfo {
  return entryOf(fingerprint).info;
}

function entryOf(fingerprint: string): Entry {
  const e = imported.get(fingerprint);
  if (!e) throw new Error('The imported teacher is not loaded in this tab (the page was reloaded): import its files again.');
  return e;
}

/** The frozen teacher a run uses for `choice` on `ds` (label map applied); cached per choice. */
export function importedTeacher(choice: TeacherChoice, ds: DatasetInfo): Promise<FrozenTeacher> {
  const e = entryOf(choice.fingerprint);
  const compat = teacherCompat(e.info, ds);
  if (compat.errors.length) return Promise.reject(new Error(compat.errors[0]));
  const unknown = choice.taps.filter((t) => !e.info.taps.some((x) => x.name === t));
  if (unknown.length) return Promise.reject(new Error(`${e.info.name} has no intermediate output ${unknown.join(', ')}: choose its taps again.`));
  const key = `${choice.fingerprint}|${choice.taps.join(',')}|${choice.preprocess}|${ds.id}`;
  let p = built.get(key);
  if (!p) {
    p = e.build(choice.taps, choice.preprocess, ds.shape).then((t) => ({ ...t, classOrder: compat.classOrder ?? undefined }));
    p.catch(() => built.delete(key));
    built.set(key, p);
  }
  return p;
}
