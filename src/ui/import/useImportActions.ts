/** Adding, selecting and removing imported datasets, for the import UI. */
import type { ImportedDatasetId, ImportSummary } from '../../domain';
import { DEFAULT_CONFIG, forgetDataset } from '../../domain';
import { useHandles } from '../context';
import { addImported } from './imported';

export function useImportActions() {
  const { store, client, importer } = useHandles();
  return {
    /** Registers a finished import with both threads; applies a shared link that was waiting for it. */
    add(summary: ImportSummary) {
      addImported(store, client, [summary]);
    },
    use(id: ImportedDatasetId) {
      store.getState().setConfig({ dataset: id });
    },
    async remove(id: ImportedDatasetId) {
      await importer.remove(id);
      forgetDataset(id);
      store.getState().setImported([], [id]);
      store.getState().setTeacherCard(id, { status: 'missing', message: 'removed' });
      if (store.getState().config.dataset === id) store.getState().setConfig({ dataset: DEFAULT_CONFIG.dataset });
    },
  };
}
