/**
 * Messages between the main thread and the import worker (src/worker/importWorker.ts). A File
 * is a handle: posting it copies no pixels; the worker reads files a few at a time.
 */
import type { ImportPreview, ImportProgress, ImportSettings, ImportSummary, SavedTeacherCardData } from './imports';
import type { ModelFiles } from './messages';
import type { ImportedDatasetId } from './registry';

export interface StagedFile { file: File; path: string }

export type ImportCommand =
  /** Adds files of a picked or dropped folder to a staged job (sent in batches). */
  | { type: 'stage-files'; jobId: string; name: string; files: StagedFile[] }
  | { type: 'stage-zip'; jobId: string; file: File }
  | { type: 'preview'; requestId: string; jobId: string; settings: ImportSettings | null }
  | { type: 'import'; requestId: string; jobId: string; settings: ImportSettings }
  | { type: 'cancel'; jobId: string }
  | { type: 'list'; requestId: string }
  | { type: 'remove'; requestId: string; id: ImportedDatasetId }
  | { type: 'save-teacher'; requestId: string; dataset: ImportedDatasetId; files: ModelFiles; card: SavedTeacherCardData }
  | { type: 'teacher-card'; requestId: string; dataset: ImportedDatasetId };

export type ImportReply =
  | { type: 'progress'; jobId: string; progress: ImportProgress }
  | { type: 'reply'; requestId: string; value: ImportPreview | ImportSummary | ImportSummary[] | SavedTeacherCardData | null }
  | { type: 'failed'; requestId: string; message: string };
