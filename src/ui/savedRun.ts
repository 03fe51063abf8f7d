/** The weights of a finished run for an export: none needed when this tab's worker trained it, else its saved checkpoint. */
import type { StoredCheckpoint, TrainConfig } from '../domain';
import { ExperimentDb } from '../state/persist';
import type { RunRecord } from '../state/store';

export async function savedWeights(run: RunRecord): Promise<{ config: TrainConfig; checkpoint: StoredCheckpoint } | undefined> {
  if (!run.restored) return undefined;
  const saved = await (await ExperimentDb.open()).loadCheckpoint(run.runId);
  if (!saved) throw new Error('its weights were not saved in this browser');
  return { config: saved.config, checkpoint: saved.checkpoint };
}
