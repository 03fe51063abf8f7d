/** Measures the teacher and the student together (same window, interleaved) once per visit and keeps the pair in the store. */
import { useEffect, useState } from 'react';
import type { DatasetId, ModelSpec } from '../domain';
import { pairKey, selectLatencyPairs } from '../state/selectors';
import { useHandles, useStudio } from './context';

export function useLatencyPair(teacher: ModelSpec | null, student: ModelSpec, dataset: DatasetId, enabled: boolean): string | null {
  const pairs = useStudio(selectLatencyPairs);
  const { store, client } = useHandles();
  const key = teacher ? pairKey(dataset, teacher, student) : '';
  const have = key !== '' && key in pairs;
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  useEffect(() => {
    if (!enabled || !teacher || have) return;
    let live = true;
    // After the page has settled (a reload restores runs and draws the explorer first).
    const t = setTimeout(() => {
      client.measureLatencyPair(teacher, student, dataset).then(
        (p) => { if (live) store.getState().setLatencyPair(key, p); },
        (err: unknown) => { if (live) setError({ key, message: err instanceof Error ? err.message : String(err) }); },
      );
    }, 500);
    return () => { live = false; clearTimeout(t); };
  }, [client, store, key, have, enabled, teacher, student, dataset]);
  return error?.key === key ? error.message : null;
}
