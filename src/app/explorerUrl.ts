/**
 * The key explorer's view settings in the page URL: `xk` (its k; absent = the run's k) and
 * `xthreshold` ('mean' or a number in [0, 1]; absent = mean). They change which kept keys are
 * shown, not the training configuration (that has its own `k` and `threshold`).
 */
import type { ThresholdRule } from '../domain';
import { useExplorerStore } from '../ui/explorer/explorerStore';

export interface ExplorerView { k: number | null; threshold: ThresholdRule }

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
  return { view: { k, threshold }, issues };
}

export function writeExplorerParams(search: string, view: ExplorerView): string {
  const q = new URLSearchParams(search);
  q.delete('xk');
  q.delete('xthreshold');
  if (view.k !== null) q.set('xk', String(view.k));
  if (view.threshold !== 'mean') q.set('xthreshold', String(view.threshold));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Applies the URL's explorer view, then keeps the URL following the explorer. Returns the issues found. */
export function syncExplorerToUrl(): { issues: string[]; stop(): void } {
  const { view, issues } = parseExplorerParams(new URLSearchParams(window.location.search));
  const ex = useExplorerStore.getState();
  ex.setK(view.k);
  ex.setThreshold(view.threshold);
  const stop = useExplorerStore.subscribe((s, prev) => {
    if (s.k === prev.k && s.threshold === prev.threshold) return;
    const search = writeExplorerParams(window.location.search, { k: s.k, threshold: s.threshold });
    if (search !== window.location.search) window.history.replaceState(window.history.state, '', `${window.location.pathname}${search}${window.location.hash}`);
  });
  return { issues, stop };
}
