/**
 * The pilot: the same configuration trained as student alone and with a distillation method,
 * one after the other, with the wall time from start to the last test accuracy.
 */
import type { MethodId, TrainConfig } from '../domain';
import type { StudioStore } from '../state/store';
import type { StudioClient } from './client';

export async function runPilot(client: StudioClient, store: StudioStore, methods: MethodId[]): Promise<void> {
  const st = store.getState();
  const startedAt = performance.now();
  st.setPilot({ status: 'running', startedAt, wallMs: 0, message: 'Pilot running' });
  const base: TrainConfig = st.config;
  for (const method of methods) {
    const { done } = client.startRun({ ...base, method });
    const result = await done;
    if (!result) {
      store.getState().setPilot({ status: 'failed', wallMs: performance.now() - startedAt, message: `The ${method} run did not finish.` });
      return;
    }
  }
  store.getState().setPilot({ status: 'done', wallMs: performance.now() - startedAt, message: 'Pilot finished' });
}
