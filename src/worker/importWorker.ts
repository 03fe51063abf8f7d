/// <reference lib="webworker" />
/**
 * The import worker: stages a picked folder's files or a zip, previews the resize on a few of
 * them, imports them (import/job.ts) into IndexedDB, and lists, removes and keeps teachers of
 * imported datasets. Nothing here touches the network.
 */
import type { ImportCommand, ImportPreview, ImportReply, ImportSettings, StagedFile } from '../domain';
import { IMPORT_LIMITS } from '../domain';
import { detectLayout } from '../ml/data/imported/layout';
import { readZip, type ZipEntry } from '../ml/data/imported/zip';
import { getTeacher, listSummaries, removeDataset, saveTeacher } from './imageDb';
import { decodeInto } from './import/decode';
import { checkRoom, ImportJob, IN_FLIGHT, type Item } from './import/job';

declare const self: DedicatedWorkerGlobalScope;

type Staged = { kind: 'files'; name: string; files: StagedFile[] } | { kind: 'zip'; name: string; file: File };
const staged = new Map<string, Staged>();
const running = new Map<string, ImportJob>();
const post = (r: ImportReply) => self.postMessage(r);
const CAPS = { maxInflatedBytes: IMPORT_LIMITS.maxInflatedBytes, maxEntries: IMPORT_LIMITS.maxEntries, maxFileBytes: IMPORT_LIMITS.maxFileBytes };

function stagedOf(jobId: string): Staged {
  const s = staged.get(jobId);
  if (!s) throw new Error('Nothing is staged for this import any more; pick the folder or zip again.');
  return s;
}

/** Every path of a staged source (a zip is read once without inflating). */
async function pathsOf(s: Staged): Promise<{ paths: string[]; unsafe: string[] }> {
  if (s.kind === 'files') return { paths: s.files.map((f) => f.path), unsafe: [] };
  const paths: string[] = [];
  const r = await readZip(s.file, s.name, CAPS, async (e) => { paths.push(e.path); }, { inflate: false });
  return { paths, unsafe: r.unsafe };
}

/** Bytes of file reads started ahead of the batch being decoded. */
const PREFETCH_BYTES = 32 * 2 ** 20;

/**
 * A batch of picked files whose reads start now, so the browser reads batch n + 1 from disk
 * while this worker decodes batch n. The batch is read as one Blob made of its files (one read
 * instead of one per file: each read has a fixed cost of a few tenths of a millisecond here and
 * in the browser process) and cut back into files by their sizes. If that read fails, each file
 * is read on its own, so one unreadable file is reported by job.ts and does not stop the others.
 * A file over the size cap is never read.
 */
function readAhead(files: StagedFile[]): Item[] {
  const small = files.filter((f) => f.file.size <= IMPORT_LIMITS.maxFileBytes);
  const joined = new Blob(small.map((f) => f.file)).arrayBuffer();
  joined.catch(() => undefined);
  const offsets = new Map<StagedFile, number>();
  let at = 0;
  for (const f of small) { offsets.set(f, at); at += f.file.size; }
  return files.map((f) => {
    const own = async () => new Uint8Array(await f.file.arrayBuffer());
    const start = offsets.get(f);
    if (start === undefined) return { path: f.path, size: f.file.size, read: own };
    return {
      path: f.path, size: f.file.size,
      read: () => joined.then((buf) => (buf.byteLength === at ? new Uint8Array(buf, start, f.file.size) : own()), own),
    };
  });
}

/** Visits the staged items in batches of at most IN_FLIGHT items (and PREFETCH_BYTES for files). */
async function eachBatch(s: Staged, visit: (batch: Item[]) => Promise<void>, limit = Infinity): Promise<void> {
  if (s.kind === 'files') {
    const files = s.files.filter((f) => !f.path.endsWith('/')).slice(0, limit);
    const batches: StagedFile[][] = [];
    for (let i = 0; i < files.length;) {
      let bytes = 0;
      let j = i;
      while (j < files.length && j - i < IN_FLIGHT && (j === i || bytes + files[j].file.size <= PREFETCH_BYTES)) bytes += Math.min(files[j++].file.size, PREFETCH_BYTES);
      batches.push(files.slice(i, j));
      i = j;
    }
    let next = batches.length ? readAhead(batches[0]) : [];
    for (let b = 0; b < batches.length; b++) {
      const current = next;
      next = b + 1 < batches.length ? readAhead(batches[b + 1]) : [];
      await visit(current);
    }
    return;
  }
  let batch: Item[] = [];
  let seen = 0;
  const asItem = (e: ZipEntry): Item => ({ path: e.path, size: e.bytes.length, read: async () => e.bytes });
  await readZip(s.file, s.name, CAPS, async (e) => {
    if (e.dir || seen >= limit) return;
    seen++;
    batch.push(asItem(e));
    if (batch.length >= IN_FLIGHT) { const b = batch; batch = []; await visit(b); }
  });
  if (batch.length) await visit(batch);
}

async function preview(jobId: string, settings: ImportSettings | null): Promise<ImportPreview> {
  const s = stagedOf(jobId);
  const { paths } = await pathsOf(s);
  const layout = detectLayout(paths, s.kind === 'files');
  const probe: ImportSettings = settings ?? { height: 32, width: 32, colour: 'rgb', resize: 'stretch', testShare: 0.2, seed: 1 };
  const bytes = probe.height * probe.width * (probe.colour === 'rgb' ? 3 : 1);
  const images: Uint8Array[] = [];
  const labels: string[] = [];
  let allGrey = true;
  let sourceSize: [number, number] | null = null;
  await eachBatch(s, async (batch) => {
    for (const it of batch) {
      const where = layout.place(it.path);
      if (where.kind !== 'image' || images.length >= 16 || it.size > IMPORT_LIMITS.maxFileBytes) continue;
      const out = new Uint8Array(bytes);
      const d = await decodeInto(await it.read(), probe, out, 0);
      if (!d.ok) continue;
      allGrey &&= d.grey;
      sourceSize ??= [d.srcHeight, d.srcWidth];
      images.push(out);
      labels.push(where.className);
    }
  }, 400);
  const all = new Uint8Array(images.length * bytes);
  images.forEach((im, i) => all.set(im, i * bytes));
  const suggested = allGrey && images.length ? { colour: 'grey' as const, height: 28, width: 28 } : { colour: 'rgb' as const, height: 32, width: 32 };
  return {
    shape: [probe.height, probe.width, probe.colour === 'rgb' ? 3 : 1], images: all, labels, suggested, sourceSize,
    classNames: layout.classNames, split: layout.split, files: paths.filter((p) => !p.endsWith('/')).length,
  };
}

async function runImport(jobId: string, settings: ImportSettings) {
  const s = stagedOf(jobId);
  const progress = (p: ImportReply & { type: 'progress' }) => post(p);
  progress({ type: 'progress', jobId, progress: { phase: 'reading', done: 0, total: 0, message: `Reading the names in ${s.name}` } });
  const { paths, unsafe } = await pathsOf(s);
  if (s.kind === 'files') s.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const layout = detectLayout(paths, s.kind === 'files');
  const total = paths.filter((p) => !p.endsWith('/')).length;
  await checkRoom(total, settings);
  const job = new ImportJob(jobId, s.name, settings, layout, total, (p) => progress({ type: 'progress', jobId, progress: p }));
  running.set(jobId, job);
  try {
    for (const u of unsafe) job.skip(u, 'unsafe-path', 'points outside the archive');
    await eachBatch(s, async (batch) => {
      if (job.cancelled) throw new Error(`Import of ${s.name} cancelled; nothing was kept.`);
      await job.add(batch);
    });
    const summary = await job.finish();
    staged.delete(jobId);
    return summary;
  } catch (e) {
    await job.abandon();
    throw e;
  } finally {
    running.delete(jobId);
  }
}

async function handle(cmd: ImportCommand): Promise<void> {
  if (cmd.type === 'stage-files') {
    // NFC, as zip entry names are (zip.ts): a folder and a zip of it give the same class names.
    const files = cmd.files.map((f) => ({ ...f, path: f.path.normalize('NFC') }));
    const s = staged.get(cmd.jobId);
    if (s?.kind === 'files') s.files.push(...files); else staged.set(cmd.jobId, { kind: 'files', name: cmd.name, files });
    return;
  }
  if (cmd.type === 'stage-zip') { staged.set(cmd.jobId, { kind: 'zip', name: cmd.file.name, file: cmd.file }); return; }
  if (cmd.type === 'cancel') { const j = running.get(cmd.jobId); if (j) j.cancelled = true; staged.delete(cmd.jobId); return; }
  const { requestId } = cmd;
  try {
    const value = cmd.type === 'preview' ? await preview(cmd.jobId, cmd.settings)
      : cmd.type === 'import' ? await runImport(cmd.jobId, cmd.settings)
        : cmd.type === 'list' ? await listSummaries()
          : cmd.type === 'remove' ? (await removeDataset(cmd.id), null)
            : cmd.type === 'save-teacher' ? (await saveTeacher({ dataset: cmd.dataset, files: cmd.files, card: cmd.card }), cmd.card)
              : (await getTeacher(cmd.dataset))?.card ?? null;
    post({ type: 'reply', requestId, value });
  } catch (e) {
    post({ type: 'failed', requestId, message: e instanceof Error ? e.message : String(e) });
  }
}

self.onmessage = (e: MessageEvent<ImportCommand>) => { void handle(e.data); };
