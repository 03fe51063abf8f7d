/** Cost measurements (params, FLOPs, bytes, latency here) cached in the store by spec. */
import { useEffect, useState } from 'react';
import type { DatasetId, ModelSpec } from '../domain';
import { costKey, selectCosts } from '../state/selectors';
import type { CostEntry } from '../state/store';
import { useHandles, useStudio } from './context';

interface Options { latency: boolean; delayMs?: number; enabled?: boolean }

/** The cached measurement of `spec`, measuring it (after `delayMs` of no change) when missing. */
export function useCosts(spec: ModelSpec | null, dataset: DatasetId, { latency, delayMs = 0, enabled = true }: Options): { entry: CostEntry | null; error: string | null; measure(): void } {
  const costs = useStudio(selectCosts);
  const { store, client } = useHandles();
  const key = spec ? costKey(dataset, spec, latency) : '';
  const entry = key ? costs[key] ?? null : null;
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const [nonce, setNonce] = useState(0);
  const arch = spec?.arch;
  const width = spec?.width;
  const depth = spec?.depth;
  useEffect(() => {
    if (!enabled || !arch || width === undefined || depth === undefined || (entry && nonce === 0)) return;
    let live = true;
    const t = setTimeout(() => {
      client.measureCosts({ arch, width, depth }, dataset, latency).then(
        (r) => { if (live) store.getState().setCosts(costKey(dataset, { arch, width, depth }, latency), r); },
        (err: unknown) => { if (live) setError({ key, message: err instanceof Error ? err.message : String(err) }); },
      );
    }, delayMs);
    return () => { live = false; clearTimeout(t); };
    // entry is left out on purpose: a new measurement replaces it without measuring again.
  }, [client, store, dataset, arch, width, depth, latency, delayMs, enabled, nonce, key]);
  return { entry, error: error?.key === key ? error.message : null, measure: () => setNonce((n) => n + 1) };
}
