/** Keeps the page address equal to the configuration (replaceState on every change). */
import { mergeIntoSearch } from '../state/configUrl';
import type { StudioStore } from '../state/store';

export function syncConfigToUrl(store: StudioStore): () => void {
  const write = () => {
    const search = mergeIntoSearch(window.location.search, store.getState().config);
    if (search !== window.location.search) {
      window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
    }
  };
  write();
  return store.subscribe((s, prev) => { if (s.config !== prev.config) write(); });
}
