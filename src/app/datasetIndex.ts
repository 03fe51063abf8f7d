/**
 * Which built-in datasets this machine has prepared: `npm run datasets` writes
 * public/datasets/index.json with the ready ones and, for the others, why and the fix. The
 * picker marks the others as not prepared and Run pilot says why instead of starting.
 */
import { DATASETS, type BuiltInDatasetId } from '../domain';
import type { StudioStore } from '../state/store';

const OFFERED: BuiltInDatasetId[] = ['mnist', 'fashion-mnist', 'cifar10'];

interface IndexFile { datasets?: { name: string }[]; notReady?: { name: string; why: string }[] }

/** id → "why; the fix" for each offered built-in dataset index.json does not list as ready. */
export function notReadyOf(index: IndexFile): Record<string, string> {
  const ready = new Set((index.datasets ?? []).map((d) => d.name));
  const out: Record<string, string> = {};
  for (const id of OFFERED) {
    if (ready.has(id)) continue;
    const why = index.notReady?.find((d) => d.name === id)?.why;
    out[id] = `${DATASETS[id].label} is not prepared on this machine${why ? `: ${why.replace(/^missing:\s*/, '')}` : ''}. Fix: run npm run datasets, which says what is missing and how to get it.`;
  }
  return out;
}

export async function loadDatasetIndex(store: StudioStore, base: string): Promise<void> {
  try {
    const res = await fetch(`${base}datasets/index.json`);
    if (!res.ok) {
      store.getState().setUi({ datasetsNotReady: notReadyOf({}) });
      return;
    }
    store.getState().setUi({ datasetsNotReady: notReadyOf((await res.json()) as IndexFile) });
  } catch {
    // Unreadable (a dev server answers index.html for a missing file): nothing is prepared.
    store.getState().setUi({ datasetsNotReady: notReadyOf({}) });
  }
}
