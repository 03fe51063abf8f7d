/**
 * Start-up options read from the page URL: the whole configuration (state/configUrl.ts, with
 * validation), the older JSON form `config=<partial TrainConfig>` (bench:methods), presenter
 * mode and automation (`autorun=pilot|run|bench-speed|bench-teacher`).
 */
import type { BackendPreference, TrainConfig } from '../domain';
import { BACKEND_ORDER, DEFAULT_CONFIG } from '../domain';
import { parseConfigParams } from '../state/configUrl';

export interface StartOptions {
  backend: BackendPreference;
  /** The configuration to start with: defaults, then URL parameters, then `config` JSON. */
  config: TrainConfig;
  /** Kept for callers that patch an existing config. */
  configPatch: Partial<TrainConfig>;
  /** Whether the URL named any configuration (else a saved experiment's config is reused). */
  configPresent: boolean;
  issues: string[];
  presenter: boolean;
  autorun: 'pilot' | 'run' | 'bench-speed' | 'bench-teacher' | null;
}

/** Merges a partial config from JSON, one level deep for the student and each method's options. */
export function mergeConfig(base: TrainConfig, patch: Partial<TrainConfig>): TrainConfig {
  const out: TrainConfig = { ...base, ...patch };
  if (patch.student) out.student = { ...base.student, ...patch.student };
  if (patch.teacher) out.teacher = { ...base.teacher, ...patch.teacher };
  if (patch.options) {
    out.options = { ...base.options };
    for (const k of Object.keys(patch.options) as (keyof TrainConfig['options'])[]) {
      out.options = { ...out.options, [k]: { ...base.options[k], ...patch.options[k] } };
    }
  }
  return out;
}

export function readStartOptions(search: string): StartOptions {
  const q = new URLSearchParams(search);
  const backendParam = q.get('backend');
  const backend: BackendPreference = backendParam && (BACKEND_ORDER as string[]).includes(backendParam) ? (backendParam as BackendPreference) : 'auto';
  const parsed = parseConfigParams(q, DEFAULT_CONFIG);
  let config: TrainConfig = { ...parsed.config, backend };
  const issues = [...parsed.issues];
  const json = q.get('config');
  if (json) {
    try {
      config = mergeConfig(config, JSON.parse(json) as Partial<TrainConfig>);
    } catch {
      issues.push('URL parameter config is not valid JSON; it was ignored. Remove it from the address to start with the settings shown.');
    }
  }
  const a = q.get('autorun');
  return {
    backend, config, configPatch: config, configPresent: parsed.present || json !== null, issues,
    presenter: q.get('presenter') === '1', autorun: a === 'pilot' || a === 'run' || a === 'bench-speed' || a === 'bench-teacher' ? a : null,
  };
}
