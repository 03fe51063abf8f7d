/**
 * Wires autosave: restores the saved experiment at start, then saves the run records (throttled)
 * and each epoch's checkpoint as the worker sends it. Any storage failure becomes a message and
 * the studio keeps working without autosave.
 */
import type { StudioClient } from '../bridge/client';
import { DEFAULT_CONFIG, knownDataset } from '../domain';
import { ExperimentDb, experimentToSave, resultArrived, reviveRuns, storageErrorText, worthSaving, type SavedCheckpoint } from '../state/persist';
import type { StudioStore } from '../state/store';

const SAVE_EVERY_MS = 1000;

export interface Persistence {
  loadCheckpoint(runId: string): Promise<SavedCheckpoint | null>;
  /** Resolves once saved runs are back in the store (or storage turned out unavailable). */
  ready: Promise<void>;
}

/** `datasetsReady`: resolves once imported datasets are registered (a saved config may name one). */
export function startPersistence(store: StudioStore, client: StudioClient, opts: { reuseSavedConfig: boolean; datasetsReady?: Promise<void> }): Persistence {
  const fail = (err: unknown) => store.getState().setUi({ storage: { ok: false, message: storageErrorText(err) } });
  const ok = () => { if (!store.getState().storage.ok) store.getState().setUi({ storage: { ok: true, message: '' } }); };
  const dbp: Promise<ExperimentDb | null> = ExperimentDb.open().catch((err: unknown) => { fail(err); return null; });

  const ready = dbp.then(async (db) => {
    if (!db) return;
    try {
      const saved = await db.loadExperiment();
      if (saved) {
        const { runs, offer } = reviveRuns(saved, await db.checkpointEpochs());
        store.getState().restoreRuns(runs);
        // An imported teacher lives only in the tab that imported it, but its choice is kept (it is
        // not in the address, so also when the address gave the rest of the configuration, on the
        // same dataset): the runs made with it stay this experiment's (rail, explorer, pilot card
        // show them) and step 2 asks for its files again (the same files give the same fingerprint).
        if (opts.reuseSavedConfig) {
          await opts.datasetsReady;
          const config = saved.config;
          store.getState().setConfig(knownDataset(config.dataset) ? config : { ...config, dataset: DEFAULT_CONFIG.dataset });
        } else if (saved.config.importedTeacher) {
          await opts.datasetsReady; // an imported dataset named in the address is chosen by then
          const now = store.getState().config;
          if (saved.config.dataset === now.dataset && !now.importedTeacher) store.getState().setConfig({ importedTeacher: saved.config.importedTeacher });
        }
        if (offer) store.getState().setUi({ resumeOffer: offer });
      }
    } catch (err) {
      fail(err);
    }
    let timer: ReturnType<typeof setTimeout> | null = null;
    const save = () => {
      timer = null;
      db.saveExperiment(experimentToSave(store.getState())).then(ok, fail);
    };
    store.subscribe((s, prev) => {
      if (resultArrived(s, prev)) {
        if (timer) clearTimeout(timer);
        save();
        return;
      }
      if (timer || !worthSaving(s, prev)) return;
      timer = setTimeout(save, SAVE_EVERY_MS);
    });
    // A reload or a closed tab within a second of the last change (a run that just finished)
    // starts the pending save at once instead of dropping it.
    window.addEventListener('pagehide', () => {
      if (!timer) return;
      clearTimeout(timer);
      save();
    });
    save();
    client.onCheckpoint = (runId, checkpoint) => {
      const run = store.getState().runs[runId];
      if (!run) return;
      db.saveCheckpoint({ runId, config: run.config, checkpoint, savedAt: Date.now() })
        .then(() => db.saveExperiment(experimentToSave(store.getState())))
        .then(ok, fail);
    };
  });

  return {
    ready,
    loadCheckpoint: async (runId) => {
      const db = await dbp;
      return db ? db.loadCheckpoint(runId) : null;
    },
  };
}
