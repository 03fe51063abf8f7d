/**
 * What the user gave: the files of a picked folder (webkitdirectory), a dropped folder (every
 * entry: readEntries is called until it returns none, since it hands out about 100 at a time),
 * or a .zip. Only handles are collected here; the import worker reads the bytes.
 */
import type { StagedFile } from '../../domain';

/**
 * The files to stage, handed out a slice at a time: a picked folder's FileList is walked as its
 * handles are posted to the worker (each costs the main thread a clone), so no single task
 * touches all 50,000 of them.
 */
export interface FileSource { readonly count: number; slice(from: number, to: number): StagedFile[] }

export type Picked = { kind: 'files'; name: string; files: FileSource } | { kind: 'zip'; file: File } | { kind: 'error'; message: string };

const ofArray = (files: StagedFile[]): FileSource => ({ count: files.length, slice: (from, to) => files.slice(from, to) });

const isZip = (f: File) => /\.zip$/i.test(f.name) || f.type === 'application/zip' || f.type === 'application/x-zip-compressed';

/** From a folder picker: every file's webkitRelativePath starts with the picked folder's name. */
export function fromFileList(list: FileList | File[]): Picked {
  if (list.length === 0) return { kind: 'error', message: 'The folder you picked is empty (or the browser listed no files in it). Pick a folder of class folders.' };
  const first = list[0];
  if (list.length === 1 && !first.webkitRelativePath && isZip(first)) return { kind: 'zip', file: first };
  const files: FileSource = {
    count: list.length,
    slice(from, to) {
      const out: StagedFile[] = [];
      for (let i = from; i < Math.min(to, list.length); i++) {
        const file = list[i];
        out.push({ file, path: file.webkitRelativePath || file.name });
      }
      return out;
    },
  };
  return { kind: 'files', name: (first.webkitRelativePath || first.name).split('/')[0] || 'images', files };
}

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) { resolve(out); return; }
      out.push(...batch);
      next();
    }, reject);
    next();
  });
}

const fileOf = (e: FileSystemFileEntry) => new Promise<File>((resolve, reject) => e.file(resolve, reject));

/** From a drop: one folder (walked in full) or one .zip. */
export async function fromDrop(dt: DataTransfer): Promise<Picked> {
  const entries = Array.from(dt.items).map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 1 && entries[0].isFile) {
    const f = await fileOf(entries[0] as FileSystemFileEntry);
    return isZip(f) ? { kind: 'zip', file: f } : { kind: 'error', message: `${f.name}: drop a folder of class folders or a .zip of one, not a single image.` };
  }
  const dirs = entries.filter((e) => e.isDirectory) as FileSystemDirectoryEntry[];
  if (dirs.length !== 1) return { kind: 'error', message: 'Drop one folder (its sub-folders are the classes) or one .zip file.' };
  const files: StagedFile[] = [];
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string): Promise<void> => {
    for (const e of await readAll(dir)) {
      if (e.isDirectory) {
        // An empty folder is remembered (as "name/"), so an empty class is reported, not missed.
        files.push({ file: new File([], ''), path: `${prefix}${e.name}/` });
        await walk(e as FileSystemDirectoryEntry, `${prefix}${e.name}/`);
      } else {
        files.push({ file: await fileOf(e as FileSystemFileEntry), path: `${prefix}${e.name}` });
      }
    }
  };
  await walk(dirs[0], `${dirs[0].name}/`);
  return { kind: 'files', name: dirs[0].name, files: ofArray(files) };
}
