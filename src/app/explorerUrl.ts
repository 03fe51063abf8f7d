/**
 * The key explorer's view settings in the page URL: `xk` (its k; absent = the run's k) and
 * `xthreshold` ('mean' or a number in [0, 1]; absent = mean) and `ximportance` ('keys' or 'afd';
 * absent = the rule the run trained with). They change which kept keys are
 * shown, not the training configuration (that has its own `k` and `threshold`).
 */
import type { ImportanceRule, ThresholdRule } from '../domain';
import { useExplorerStore } from '../ui/explorer/explorerStore';

export interface ExplorerView { k: number | null; threshold: ThresholdRule; importance?: ImportanceRule | null }

export function parseExplorerParams(q: URLSearchParams): { view: ExplorerView; issues: string[] } {
  const issues: string[] = [];
  let k: number | null = null;
  let threshold: ThresholdRule = 'mean';
  const rk = q.get('xk');
  if (rk !== null) {
    const v = Number(rk);
    if (Number.isInteger(v) && v >= 1 && v <= 64) k = v;
    else issues.push(`URL parameter xk: the explorer's k must be a whole number from 1, got "${rk}"; using the run's k.`);
  }
  const rt = q.get('xthreshold');
  if (rt !== null && rt !== 'mean') {
    const v = Number(rt);
    if (rt.trim() !== '' && Number.isFinite(v) && v >= 0 && v <= 1) threshold = v;
    else issues.push(`URL parameter xthreshold: use "mean" or a number from 0 to 1, got "${rt}"; using the mean.`);
  }
  let importance: ImportanceRule | null = null;
  const ri = q.get('ximportance');
  if (ri === 'keys' || ri === 'afd') importance = ri;
  else if (ri !== null) issues.push(`URL parameter ximportance: use "keys" or "afd", got "${ri}"; using the run's rule.`);
  return { view: { k, threshold, importance }, issues };
}

export function writeExplorerParams(search: string, view: ExplorerView): string {
  const q = new URLSearchParams(search);
  q.delete('xk');
  q.delete('xthreshold');
  q.delete('ximportance');
  if (view.importance) q.set('ximportance', view.importance);
  if (view.k !== null) q.set('xk', String(view.k));
  if (view.threshold !== 'mean') q.set('xthreshold', String(view.threshold));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** How long the explorer's k / threshold must hold still before the address follows. */
export const URL_WRITE_DELAY_MS = 250;

/**
 * Applies the URL's explorer view, then keeps the URL following the explorer. The address is
 * written once the controls hold still (history.replaceState costs several ms per call, far too
 * much for every step of a slider). Returns the issues found.
 */
export function syncExplorerToUrl(): { issues: string[]; stop(): void } {
  const { view, issues } = parseExplorerParams(new URLSearchParams(window.location.search));
  const ex = useExplorerStore.getState();
  ex.setK(view.k);
  ex.setThreshold(view.threshold);
  ex.setImportance(view.importance ?? null);
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = () => {
    timer = null;
    const s = useExplorerStore.getState();
    const search = writeExplorerParams(window.location.search, { k: s.k, threshold: s.threshold, importance: s.importance });
    if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  };
  const unsubscribe = useExplorerStore.subscribe((s, prev) => {
    if (s.k === prev.k && s.threshold === prev.threshold && s.importance === prev.importance) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(write, URL_WRITE_DELAY_MS);
  });
  const flush = () => { if (timer !== null) { clearTimeout(timer); write(); } };
  // A link copied or a page left right after a move still carries the latest view.
  window.addEventListener('pagehide', flush);
  return {
    issues,
    stop: () => { flush(); unsubscribe(); window.removeEventListener('pagehide', flush); },
  };
}
