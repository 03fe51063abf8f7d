/**
 * IndexedDB (through `idb`) for the user's imported images: one record per dataset (summary,
 * labels, split) and its pixels in chunks, plus the teacher trained here on it. The import worker
 * writes it; the training worker reads a dataset straight from it (no big transfer through the
 * main thread). A dataset record is written last, so a failed import leaves only chunks that
 * `discardJob` removes, and nothing already imported is touched.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ImportSummary, ModelFiles, SavedTeacherCardData } from '../domain';
import { formatBytes } from '../domain';

export interface StoredDataset {
  id: string;
  summary: ImportSummary;
  /** Key of its pixel chunks. */
  job: string;
  /** Images per chunk value (1,024 in imports saved before chunks were sized by bytes; about 4 MB since). */
  chunkImages: number;
  count: number;
  labels: Uint8Array;
  /** 1 = train, 2 = test, per image in storage order. */
  splits: Uint8Array;
}
export interface StoredTeacher { dataset: string; files: ModelFiles; card: SavedTeacherCardData }

interface Schema extends DBSchema {
  datasets: { key: string; value: StoredDataset };
  chunks: { key: [string, number]; value: { job: string; index: number; pixels: Uint8Array } };
  teachers: { key: string; value: StoredTeacher };
}

const DB_NAME = 'rtk-studio-images';
let dbp: Promise<IDBPDatabase<Schema>> | null = null;

export function imageDb(): Promise<IDBPDatabase<Schema>> {
  dbp ??= openDB<Schema>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('datasets', { keyPath: 'id' });
      db.createObjectStore('chunks', { keyPath: ['job', 'index'] });
      db.createObjectStore('teachers', { keyPath: 'dataset' });
    },
  });
  dbp.catch(() => { dbp = null; });
  return dbp;
}

/**
 * A storage failure in words, naming what the import needed (`what`, e.g. "1,200 images at
 * 224×224×3") and the bytes, and what to do; nothing already imported is touched.
 */
export function storageMessage(err: unknown, neededBytes: number, what?: string): string {
  const name = (err as { name?: string } | null)?.name ?? '';
  const msg = err instanceof Error ? err.message : String(err);
  const need = `${what ? `${what}: ` : ''}about ${formatBytes(Math.max(1e6, neededBytes))}`;
  if (name === 'QuotaExceededError' || /quota/i.test(msg)) {
    return `Not enough browser storage: this import needs ${need} and this site's quota is used up (QuotaExceededError). Free disk space, remove an imported dataset, or import at a smaller image size; nothing already imported was changed.`;
  }
  return `The browser refused to store the images (${name || 'error'}: ${msg}); the import needs ${need}. A private window or a nearly full disk allows little storage: use a normal window, free space, or import at a smaller image size. Nothing already imported was changed.`;
}

export async function putChunk(job: string, index: number, pixels: Uint8Array): Promise<void> {
  await (await imageDb()).put('chunks', { job, index, pixels });
}

export async function discardJob(job: string): Promise<void> {
  const db = await imageDb();
  await db.delete('chunks', IDBKeyRange.bound([job, 0], [job, Number.MAX_SAFE_INTEGER]));
}

export async function commitDataset(rec: StoredDataset): Promise<void> {
  await (await imageDb()).put('datasets', rec);
}

export async function getDataset(id: string): Promise<StoredDataset | undefined> {
  return (await imageDb()).get('datasets', id);
}

export async function listSummaries(): Promise<ImportSummary[]> {
  const all = await (await imageDb()).getAll('datasets');
  return all.map((d) => d.summary).sort((a, b) => a.importedAt - b.importedAt);
}

/** Removes a dataset, its pixels and its teacher. */
export async function removeDataset(id: string): Promise<void> {
  const db = await imageDb();
  const rec = await db.get('datasets', id);
  await db.delete('datasets', id);
  await db.delete('teachers', id);
  if (rec) await discardJob(rec.job);
}

export async function readChunk(job: string, index: number): Promise<Uint8Array> {
  const c = await (await imageDb()).get('chunks', [job, index]);
  if (!c) throw new Error(`imported images ${job}: chunk ${index} is missing from browser storage; remove the dataset and import it again`);
  return c.pixels;
}

export async function saveTeacher(t: StoredTeacher): Promise<void> {
  await (await imageDb()).put('teachers', t);
}

export async function getTeacher(dataset: string): Promise<StoredTeacher | undefined> {
  return (await imageDb()).get('teachers', dataset);
}
