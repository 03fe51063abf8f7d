/** Start-up options read from the page URL (backend choice, fast test mode, automation). */
import type { BackendPreference, DatasetId, MethodId, TrainConfig } from '../domain';
import { BACKEND_ORDER, DATASETS, METHODS } from '../domain';

export interface StartOptions {
  backend: BackendPreference;
  configPatch: Partial<TrainConfig>;
  autorun: 'pilot' | 'run' | 'bench-speed' | null;
}

export function readStartOptions(search: string): StartOptions {
  const q = new URLSearchParams(search);
  const backendParam = q.get('backend');
  const backend: BackendPreference = backendParam && (BACKEND_ORDER as string[]).includes(backendParam) ? (backendParam as BackendPreference) : 'auto';
  const patch: Partial<TrainConfig> = { backend };
  const ds = q.get('dataset');
  if (ds && ds in DATASETS) patch.dataset = ds as DatasetId;
  const m = q.get('method');
  if (m && m in METHODS) patch.method = m as MethodId;
  for (const key of ['epochs', 'trainLimit', 'testLimit', 'seed', 'batchSize'] as const) {
    const v = q.get(key);
    if (v !== null && Number.isFinite(Number(v))) patch[key] = Number(v);
  }
  // `config` carries a JSON partial TrainConfig (used by bench:methods for method options).
  const json = q.get('config');
  if (json) {
    try {
      Object.assign(patch, JSON.parse(json) as Partial<TrainConfig>);
    } catch {
      throw new Error('The "config" URL parameter is not valid JSON; remove it from the address to start with the defaults.');
    }
  }
  const a = q.get('autorun');
  return { backend, configPatch: patch, autorun: a === 'pilot' || a === 'run' || a === 'bench-speed' ? a : null };
}
