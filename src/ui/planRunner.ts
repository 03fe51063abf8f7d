/**
 * Runs a plan (the pilot, or the pilot over several seeds) one run after the other, keeping the
 * pilot status the automation reads (data-pilot, data-result) up to date. A plan interrupted by a
 * reload continues from a saved checkpoint of the run it was in.
 */
import type { MethodId, StoredCheckpoint, TrainConfig } from '../domain';
import { METHODS } from '../domain';
import type { StudioClient } from '../bridge/client';
import { sameBudget } from '../state/verdict';
import type { Plan, PlanItem, StudioStore } from '../state/store';

/** Student alone first, then the distillation method (once when it is student alone itself). */
export function pilotMethods(method: MethodId): MethodId[] {
  return method === 'student-alone' ? ['student-alone'] : ['student-alone', method];
}

export function pilotPlan(base: TrainConfig): Plan {
  return { kind: 'pilot', base, items: pilotMethods(base.method).map((m) => ({ method: m, seed: base.seed })), runIds: [] };
}

/** Both methods for seeds s..s+n−1, skipping seeds that already have a finished run of this budget. */
export function seedsPlan(store: StudioStore, base: TrainConfig, n = 3): Plan {
  const { runs, runOrder } = store.getState();
  const finished = (it: PlanItem) => runOrder.some((id) => {
    const r = runs[id];
    return r.result && r.method === it.method && r.config.seed === it.seed && sameBudget(r.config, base)
      && JSON.stringify(r.config.options) === JSON.stringify(base.options);
  });
  const items: PlanItem[] = [];
  for (let s = base.seed; s < base.seed + n; s++) for (const m of pilotMethods(base.method)) items.push({ method: m, seed: s });
  return { kind: 'seeds', base, items: items.filter((it) => !finished(it)), runIds: [] };
}

const itemLabel = (plan: Plan, i: number) =>
  `run ${i + 1} of ${plan.items.length} (${METHODS[plan.items[i].method].label}, seed ${plan.items[i].seed})`;

export interface ResumePoint { index: number; runId: string; checkpoint: StoredCheckpoint }

export async function runPlan(client: StudioClient, store: StudioStore, plan: Plan, resume?: ResumePoint): Promise<void> {
  const startedAt = performance.now();
  const what = plan.kind === 'pilot' ? 'Pilot' : 'Seed runs';
  let current: Plan = { ...plan, runIds: [...plan.runIds] };
  store.getState().setPlan(current);
  store.getState().setPilot({ status: 'running', startedAt, wallMs: 0, message: `${what} running` });
  // No wait for a paint here: each run's worker waits for the page to draw before its CPU-heavy
  // set-up (src/worker/pageDrawn.ts), so the click's render gets the cores.
  for (let i = resume?.index ?? 0; i < plan.items.length; i++) {
    const { method, seed } = plan.items[i];
    store.getState().setPilot({ message: `${what} running: ${itemLabel(plan, i)}` });
    let handle: { runId: string; done: Promise<unknown> };
    if (resume && i === resume.index) {
      store.getState().updateRun(resume.runId, { restored: false, state: 'loading', message: 'Resuming', error: null, result: null });
      handle = client.startRun(store.getState().runs[resume.runId].config, { resume: resume.checkpoint, runId: resume.runId });
    } else {
      handle = client.startRun({ ...plan.base, method, seed });
    }
    const runIds = [...current.runIds];
    runIds[i] = handle.runId;
    current = { ...current, runIds };
    store.getState().setPlan(current);
    const result = await handle.done;
    if (!result) {
      const why = store.getState().runs[handle.runId]?.message;
      store.getState().setPilot({ status: 'failed', wallMs: performance.now() - startedAt,
        message: `${what} stopped: the ${METHODS[method].label} run (seed ${seed}) did not finish${why ? `: ${why}` : '.'}` });
      return;
    }
  }
  store.getState().setPilot({ status: 'done', wallMs: performance.now() - startedAt, message: `${what} finished` });
}
