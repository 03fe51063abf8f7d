import { useState } from 'react';
import { StudioClient } from '../bridge/client';
import { ImportClient } from '../bridge/importClient';
import { createStudioStore, type StudioStore } from '../state/store';
import { StudioContext, type StudioHandles } from '../ui/context';
import { pilotPlan, runPlan } from '../ui/planRunner';
import { startBench, startSingleRun, startTeacherBench } from './bench';
import { PageLayout } from './PageLayout';
import { startPersistence } from './persistence';
import { holdImportedConfig, loadImported } from './importedDatasets';
import { readStartOptions } from './urlParams';
import { loadDatasetIndex } from './datasetIndex';
import { syncConfigToUrl } from './urlSync';
import { syncExplorerToUrl } from './explorerUrl';

type Handles = StudioHandles;

function createHandles(): Handles {
  const opts = readStartOptions(window.location.search);
  const store: StudioStore = createStudioStore();
  store.getState().setConfig(holdImportedConfig(store, opts.config));
  const explorer = syncExplorerToUrl();
  store.getState().setUi({ urlIssues: [...opts.issues, ...explorer.issues], presenter: opts.presenter });
  void loadDatasetIndex(store, import.meta.env.BASE_URL);
  const client = new StudioClient(store, opts.backend);
  const importer = new ImportClient();
  const imported = loadImported(store, client, importer);
  const persistence = startPersistence(store, client, { reuseSavedConfig: !opts.configPresent && opts.autorun === null, datasetsReady: imported });
  syncConfigToUrl(store);
  const config = store.getState().config;
  if (opts.autorun === 'pilot') void runPlan(client, store, pilotPlan(config));
  if (opts.autorun === 'bench-speed') void startBench(client, config);
  if (opts.autorun === 'run') void startSingleRun(client, config);
  if (opts.autorun === 'bench-teacher') startTeacherBench(client, store);
  return { store, client, importer, loadCheckpoint: persistence.loadCheckpoint };
}

function Shell() {
  return <PageLayout />;
}

/** One worker and one autosave per page, also under StrictMode's double rendering in development. */
let pageHandles: Handles | null = null;

export function App() {
  const [handles] = useState(() => (pageHandles ??= createHandles()));
  return (
    <StudioContext.Provider value={handles}>
      <Shell />
    </StudioContext.Provider>
  );
}
