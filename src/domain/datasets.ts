/**
 * The one place every thread reads a dataset's shape, class names and label from. Built-in
 * datasets come from the registry; an imported dataset (the user's own images) is registered here
 * once its summary is known (main thread: from the import worker; training worker: from the
 * 'dataset-info' command), so models, the explorer, the card and the report read it the same way.
 */
import type { ImportSummary } from './imports';
import type { DatasetId, DatasetInfo, ImportedDatasetId } from './registry';
import { DATASETS } from './registry';

const imported = new Map<string, DatasetInfo>();

/** `user-` and 16 hex digits: the first 64 bits of the dataset's fingerprint. */
export function isImportedId(id: string): id is ImportedDatasetId {
  return /^user-[0-9a-f]{16}$/.test(id);
}

export function importedIdOf(fingerprint: string): ImportedDatasetId {
  return `user-${fingerprint.slice(0, 16)}`;
}

export function registerDataset(info: DatasetInfo): void {
  if (isImportedId(info.id)) imported.set(info.id, info);
}

export function forgetDataset(id: DatasetId): void {
  imported.delete(id);
}

/** Whether this thread knows the dataset (always for built-ins; imported ones once registered). */
export function knownDataset(id: string): id is DatasetId {
  return id in DATASETS || imported.has(id);
}

/**
 * Shape, classes and label of any dataset. An imported dataset not registered on this machine
 * gets a stand-in that says so (no classes), so a saved run of a removed dataset still renders.
 */
export function datasetInfo(id: DatasetId): DatasetInfo {
  if (!isImportedId(id)) return DATASETS[id];
  return imported.get(id) ?? {
    id, label: `Imported images ${id.slice(5)} (not on this machine)`, shape: [32, 32, 3], numClasses: 0, classNames: [], pixelMax: 255, builtIn: false,
  };
}

/** A class name for display: the dataset's own, or its index when unknown. */
export function className(info: DatasetInfo, index: number): string {
  return info.classNames[index] ?? String(index);
}

/** The registry entry of an imported dataset, from its import summary. */
export function infoOfImport(s: ImportSummary): DatasetInfo {
  return { id: s.id, label: `${s.name} (imported)`, shape: s.shape, numClasses: s.classNames.length, classNames: s.classNames, pixelMax: 255, builtIn: false, ...(s.sourceSize ? { sourceSize: s.sourceSize } : {}) };
}
