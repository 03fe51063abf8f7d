/// <reference lib="webworker" />
/**
 * One import: files (from a folder) or entries (from a zip) are read a few at a time, decoded
 * and resized (decode.ts), and their pixels written to IndexedDB in chunks as they come; at the
 * end the summary and split are made (finishImport) and the dataset record is committed. Any
 * failure removes this job's chunks and leaves every earlier dataset as it was.
 */
import type { ImportProgress, ImportSettings, ImportSummary, SkipReason } from '../../domain';
import { bytesPerImage, chunkImagesFor, formatBytes, MEMORY_BUDGET_BYTES as MEMORY_BUDGET, importedIdOf, importNeed, IMPORT_LIMITS } from '../../domain';
import type { Layout, Placement } from '../../ml/data/imported/layout';
import { finishImport, type Collected } from '../../ml/data/imported/summary';
import { commitDataset, discardJob, getDataset, putChunk, storageMessage } from '../imageDb';
import { contentHash, decodeInto, tooLarge, type Decoded } from './decode';

/** Files read and decoded at once (importWorker.ts also starts the next batch's reads early). */
export const IN_FLIGHT = 32;

export interface Item { path: string; size: number; read(): Promise<Uint8Array> }

type Result = { where: Exclude<Placement, { kind: 'image' }> } | { where: Extract<Placement, { kind: 'image' }>; decoded: Decoded; hash: { hex: string; key: number } | null };

export class ImportJob {
  private readonly imageBytes: number;
  /** Images per IndexedDB value: about 4 MB of pixels (chunkImagesFor), stored in the dataset record. */
  readonly chunkImages: number;
  private chunk: Uint8Array;
  private inChunk = 0;
  private chunkIndex = 0;
  private readonly c: Collected;
  private first: string | null = null;
  private source: [number, number] | null = null;
  private done = 0;
  private lastReport = 0;
  private writing: Promise<unknown> | null = null;
  private readonly started = performance.now();
  cancelled = false;

  constructor(readonly job: string, name: string, private readonly settings: ImportSettings, private readonly layout: Layout,
    private readonly total: number, private readonly progress: (p: ImportProgress) => void) {
    this.imageBytes = bytesPerImage(settings);
    this.chunkImages = chunkImagesFor(this.imageBytes);
    this.chunk = new Uint8Array(this.chunkImages * this.imageBytes);
    this.c = { name, settings, split: layout.split, classNames: layout.classNames, labels: [], folderSplits: [], keys: [], hashes: [], paths: [], skips: [], clutter: 0, mixedSizes: 0, mixedChannels: 0 };
  }

  skip(path: string, reason: SkipReason, detail: string): void {
    this.c.skips.push({ path, reason, detail });
  }

  /** Reads, decodes and stores a batch of items (in order; at most IN_FLIGHT at once). */
  async add(items: Item[]): Promise<void> {
    const slots = items.map(() => new Uint8Array(this.imageBytes));
    const results = await Promise.all(items.map(async (it, i): Promise<Result> => {
      const where = this.layout.place(it.path);
      if (where.kind !== 'image') return { where };
      const big = tooLarge(it.size);
      if (big) return { where, decoded: big, hash: null };
      let bytes: Uint8Array;
      try { bytes = await it.read(); } catch (e) {
        return { where, decoded: { ok: false, reason: 'corrupt', detail: `cannot be read (${(e as Error).message}); is it still on disk?` }, hash: null };
      }
      const [decoded, hash] = await Promise.all([decodeInto(bytes, this.settings, slots[i], 0), bytes.length ? contentHash(bytes) : null]);
      return { where, decoded, hash };
    }));
    for (let i = 0; i < items.length; i++) {
      const r = results[i];
      const path = items[i].path;
      if (!('decoded' in r)) {
        if (r.where.kind === 'clutter') this.c.clutter++; else this.skip(path, 'outside-classes', 'is not inside a class folder');
        continue;
      }
      const d = r.decoded;
      if (!d.ok) { this.skip(path, d.reason, d.detail); continue; }
      if (!r.hash) continue;
      const sig = `${d.srcWidth}x${d.srcHeight}`;
      if (this.first === null) { this.first = sig; this.source = [d.srcHeight, d.srcWidth]; } else if (sig !== this.first) this.c.mixedSizes++;
      if (d.grey !== (this.settings.colour === 'grey')) this.c.mixedChannels++;
      this.c.labels.push(this.layout.classNames.indexOf(r.where.className));
      this.c.folderSplits.push(r.where.split === 'test' ? 2 : r.where.split === 'train' ? 1 : 0);
      this.c.keys.push(r.hash.key);
      this.c.hashes.push(r.hash.hex);
      this.c.paths.push(path);
      this.chunk.set(slots[i], this.inChunk * this.imageBytes);
      if (++this.inChunk === this.chunkImages) await this.flush();
    }
    this.done += items.length;
    const now = performance.now();
    if (now - this.lastReport > 500) {
      this.lastReport = now;
      this.progress({ phase: 'decoding', done: this.done, total: this.total, message: `${this.done.toLocaleString('en-US')} of ${this.total.toLocaleString('en-US')} files read` });
    }
  }

  /**
   * Hands the filled chunk to IndexedDB and starts a fresh one. One write is kept in flight
   * while the next chunk is decoded; a failed write surfaces at the next flush or at the end.
   */
  private async flush(): Promise<void> {
    if (this.inChunk === 0) return;
    const pixels = this.inChunk === this.chunkImages ? this.chunk : this.chunk.slice(0, this.inChunk * this.imageBytes);
    const index = this.chunkIndex++;
    this.inChunk = 0;
    this.chunk = new Uint8Array(this.chunkImages * this.imageBytes);
    await this.drain();
    this.writing = putChunk(this.job, index, pixels).then(() => null, (e: unknown) => e);
  }

  /** The import in words: "1,200 images at 224×224×3". */
  private what(): string {
    const s = this.settings;
    return `${this.total.toLocaleString('en-US')} images at ${s.height}×${s.width}×${s.colour === 'rgb' ? 3 : 1}`;
  }

  /** Waits for the write in flight; throws the storage message if it failed. */
  private async drain(): Promise<void> {
    const failed = await this.writing;
    this.writing = null;
    if (failed != null) throw new Error(storageMessage(failed, this.total * this.imageBytes, this.what()));
  }

  /** Commits the dataset (or finds the identical one already stored) and returns its summary. */
  async finish(): Promise<ImportSummary> {
    await this.flush();
    await this.drain();
    const f = finishImport(this.c);
    if (f.summary.classNames.length > 255) throw new Error(`${this.c.name}: has ${f.summary.classNames.length} classes; the studio takes at most 255.`);
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(f.fingerprintText)));
    const fingerprint = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    const id = importedIdOf(fingerprint);
    const summary: ImportSummary = {
      ...f.summary, id, fingerprint, importedAt: Date.now(), importMs: performance.now() - this.started, ...(this.source ? { sourceSize: this.source } : {}),
    };
    const existing = await getDataset(id);
    try {
      if (existing) {
        // The same images, labels and settings: keep the stored pixels (and the teacher), take this import's summary.
        await discardJob(this.job);
        await commitDataset({ ...existing, summary });
        return summary;
      }
      await commitDataset({ id, summary, job: this.job, chunkImages: this.chunkImages, count: f.labels.length, labels: f.labels, splits: f.splits });
    } catch (e) {
      throw new Error(storageMessage(e, summary.bytes, this.what()));
    }
    this.progress({ phase: 'saving', done: this.total, total: this.total, message: 'Saved in this browser' });
    return summary;
  }

  async abandon(): Promise<void> {
    // A chunk still being written would land after the discard and stay behind.
    await this.writing;
    await discardJob(this.job).catch(() => undefined);
  }
}

/**
 * Fails early, before anything is written, when the dataset would not fit: the training
 * worker's memory budget, or the room navigator.storage.estimate() says this site has left.
 */
export async function checkRoom(count: number, settings: ImportSettings): Promise<void> {
  const est = await navigator.storage?.estimate?.().catch(() => null);
  const need = importNeed(count, settings, est ?? null);
  const instead = need.largestFit ? ` Import at ${need.largestFit}×${need.largestFit} or smaller, or import fewer images.` : ' Import fewer images.';
  if (!need.memoryFits) {
    throw new Error(`${count.toLocaleString('en-US')} images at ${settings.height}×${settings.width}×${settings.colour === 'rgb' ? 3 : 1} need ${formatBytes(need.pixels)} of memory to train on, over the studio's ${formatBytes(MEMORY_BUDGET)} budget.${instead} Nothing was imported.`);
  }
  if (!need.storageFits) {
    const e = new Error('quota'); e.name = 'QuotaExceededError';
    throw new Error(`${storageMessage(e, need.storage, `${count.toLocaleString('en-US')} images at ${settings.height}×${settings.width}×${settings.colour === 'rgb' ? 3 : 1}`)} This browser reports ${formatBytes(need.free ?? 0)} free for this site.${instead}`);
  }
}

export { IMPORT_LIMITS };
