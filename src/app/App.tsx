import { useState } from 'react';
import { StudioClient } from '../bridge/client';
import { createStudioStore, type StudioStore } from '../state/store';
import { StudioContext, type StudioHandles } from '../ui/context';
import { pilotPlan, runPlan } from '../ui/planRunner';
import { startBench, startSingleRun } from './bench';
import { PageLayout } from './PageLayout';
import { startPersistence } from './persistence';
import { readStartOptions } from './urlParams';
import { syncConfigToUrl } from './urlSync';
import { syncExplorerToUrl } from './explorerUrl';

type Handles = StudioHandles;

function createHandles(): Handles {
  const opts = readStartOptions(window.location.search);
  const store: StudioStore = createStudioStore();
  store.getState().setConfig(opts.config);
  const explorer = syncExplorerToUrl();
  store.getState().setUi({ urlIssues: [...opts.issues, ...explorer.issues], presenter: opts.presenter });
  const client = new StudioClient(store, opts.backend);
  const persistence = startPersistence(store, client, { reuseSavedConfig: !opts.configPresent && opts.autorun === null });
  syncConfigToUrl(store);
  const config = store.getState().config;
  if (opts.autorun === 'pilot') void runPlan(client, store, pilotPlan(config));
  if (opts.autorun === 'bench-speed') void startBench(client, config);
  if (opts.autorun === 'run') void startSingleRun(client, config);
  return { store, client, loadCheckpoint: persistence.loadCheckpoint };
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
