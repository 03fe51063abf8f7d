/**
 * Imported datasets at start-up: lists what this browser keeps (IndexedDB, through the import
 * worker), registers each one with both threads, and resolves a shared link that names an
 * imported dataset: applied when the dataset is here, otherwise kept as pending with a notice
 * until the same folder is imported.
 */
import type { ImportClient } from '../bridge/importClient';
import type { StudioClient } from '../bridge/client';
import type { TrainConfig } from '../domain';
import { DEFAULT_CONFIG, isImportedId } from '../domain';
import { addImported } from '../ui/import/imported';
import type { StudioStore } from '../state/store';

/**
 * A start configuration that names an imported dataset waits (as pendingLink) until the
 * dataset is known; until then the studio shows the default dataset.
 */
export function holdImportedConfig(store: StudioStore, config: TrainConfig): TrainConfig {
  if (!isImportedId(config.dataset)) return config;
  store.getState().setUi({ pendingLink: config });
  return { ...config, dataset: DEFAULT_CONFIG.dataset };
}

/** Lists the stored imports; resolves once they are registered (never rejects). */
export function loadImported(store: StudioStore, client: StudioClient, importer: ImportClient): Promise<void> {
  return importer.list().then(
    (list) => addImported(store, client, list),
    (err: unknown) => store.getState().setError(`Imported datasets could not be read from browser storage: ${err instanceof Error ? err.message : String(err)}`),
  );
}
