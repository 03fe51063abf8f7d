/** Registering imported datasets with both threads and the store (used at start-up and after an import). */
import type { StudioClient } from '../../bridge/client';
import type { ImportSummary } from '../../domain';
import { infoOfImport, registerDataset } from '../../domain';
import type { StudioStore } from '../../state/store';

/** Registers imported datasets; applies a shared link that was waiting for one of them. */
export function addImported(store: StudioStore, client: StudioClient, list: ImportSummary[]): void {
  for (const s of list) {
    const info = infoOfImport(s);
    registerDataset(info);
    client.registerDataset(info);
  }
  store.getState().setImported(list);
  const pending = store.getState().pendingLink;
  if (pending && list.some((s) => s.id === pending.dataset)) {
    store.getState().setConfig(pending);
    store.getState().setUi({ pendingLink: null });
  }
}
