/**
 * The main thread's side of the import worker: stages what the user picked or dropped (a few
 * file handles per message, yielding every few milliseconds, so no long task), previews, imports,
 * lists and removes imported datasets, and keeps the trained-here teacher's files and card.
 */
import type {
  ImportCommand, ImportedDatasetId, ImportPreview, ImportProgress, ImportReply, ImportSettings, ImportSummary,
  ModelFiles, SavedTeacherCardData, StagedFile,
} from '../domain';
import { newId } from './client';

const STAGE_BATCH = 16;
/** Main-thread time spent posting handles before the page gets a turn. */
const STAGE_SLICE_MS = 12;

/** A new task, without the 4 ms clamp nested timers get. */
function yieldToPage(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { ch.port1.close(); resolve(); };
    ch.port2.postMessage(null);
  });
}
type Waiter = { resolve(v: unknown): void; reject(e: Error): void };

export class ImportClient {
  private readonly worker: Worker;
  private readonly waiting = new Map<string, Waiter>();
  /** Progress of the running import, by job id. */
  onProgress: ((jobId: string, p: ImportProgress) => void) | null = null;

  constructor() {
    this.worker = new Worker(new URL('../worker/importWorker.ts', import.meta.url), { type: 'module', name: 'import' });
    this.worker.onmessage = (e: MessageEvent<ImportReply>) => {
      const r = e.data;
      if (r.type === 'progress') { this.onProgress?.(r.jobId, r.progress); return; }
      const w = this.waiting.get(r.requestId);
      this.waiting.delete(r.requestId);
      if (r.type === 'reply') w?.resolve(r.value); else w?.reject(new Error(r.message));
    };
    this.worker.onerror = (e) => {
      e.preventDefault();
      for (const w of this.waiting.values()) w.reject(new Error(`The import worker crashed (${e.message || 'no message'}); reload the page.`));
      this.waiting.clear();
    };
  }

  private request<T>(make: (requestId: string) => ImportCommand): Promise<T> {
    const requestId = newId('import');
    const p = new Promise<T>((resolve, reject) => this.waiting.set(requestId, { resolve: resolve as (v: unknown) => void, reject }));
    this.worker.postMessage(make(requestId));
    return p;
  }

  /**
   * Stages files of a folder (paths relative to the picked folder, its name first), a few
   * handles per message, yielding to the page every few milliseconds: cloning a File handle for
   * postMessage costs the main thread 0.2 ms or more (a call to the browser process each, longer
   * when that process is busy), so one message of thousands would be a long task.
   */
  async stageFiles(name: string, files: { readonly count: number; slice(from: number, to: number): StagedFile[] }): Promise<string> {
    const jobId = newId('job');
    let sliceStart = performance.now();
    for (let i = 0; i < files.count || i === 0; i += STAGE_BATCH) {
      this.worker.postMessage({ type: 'stage-files', jobId, name, files: files.slice(i, i + STAGE_BATCH) } satisfies ImportCommand);
      if (i + STAGE_BATCH < files.count && performance.now() - sliceStart > STAGE_SLICE_MS) {
        await yieldToPage();
        sliceStart = performance.now();
      }
    }
    return jobId;
  }

  stageZip(file: File): string {
    const jobId = newId('job');
    this.worker.postMessage({ type: 'stage-zip', jobId, file } satisfies ImportCommand);
    return jobId;
  }

  preview(jobId: string, settings: ImportSettings | null): Promise<ImportPreview> {
    return this.request((requestId) => ({ type: 'preview', requestId, jobId, settings }));
  }

  import(jobId: string, settings: ImportSettings): Promise<ImportSummary> {
    return this.request((requestId) => ({ type: 'import', requestId, jobId, settings }));
  }

  cancel(jobId: string): void { this.worker.postMessage({ type: 'cancel', jobId } satisfies ImportCommand); }

  list(): Promise<ImportSummary[]> { return this.request((requestId) => ({ type: 'list', requestId })); }

  remove(id: ImportedDatasetId): Promise<null> { return this.request((requestId) => ({ type: 'remove', requestId, id })); }

  saveTeacher(dataset: ImportedDatasetId, files: ModelFiles, card: SavedTeacherCardData): Promise<SavedTeacherCardData> {
    return this.request((requestId) => ({ type: 'save-teacher', requestId, dataset, files, card }));
  }

  teacherCard(dataset: ImportedDatasetId): Promise<SavedTeacherCardData | null> {
    return this.request((requestId) => ({ type: 'teacher-card', requestId, dataset }));
  }
}
