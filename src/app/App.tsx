import { useState } from 'react';
import { StudioClient } from '../bridge/client';
import { ImportClient } from '../bridge/importClient';
import { selectPresenter } from '../state/selectors';
import { createStudioStore, type StudioStore } from '../state/store';
import { StudioContext, useStudio, type StudioHandles } from '../ui/context';
import { DatasetStep } from '../ui/DatasetStep';
import { ErrorBanner } from '../ui/ErrorBanner';
import { ExportStep } from '../ui/ExportStep';
import { Glossary } from '../ui/Glossary';
import { MethodStep } from '../ui/MethodStep';
import { StorageNotice, UrlIssues } from '../ui/Notices';
import { PilotCard } from '../ui/PilotCard';
import { pilotPlan, runPlan } from '../ui/planRunner';
import { ResumeBanner } from '../ui/ResumeBanner';
import { TeacherStep } from '../ui/TeacherStep';
import { TrainingStep } from '../ui/TrainingStep';
import { KeyExplorer } from '../ui/explorer/KeyExplorer';
import { startBench, startSingleRun, startTeacherBench } from './bench';
import { startPersistence } from './persistence';
import { holdImportedConfig, loadImported } from './importedDatasets';
import { readStartOptions } from './urlParams';
import { syncConfigToUrl } from './urlSync';
import { syncExplorerToUrl } from './explorerUrl';

type Handles = StudioHandles;

function createHandles(): Handles {
  const opts = readStartOptions(window.location.search);
  const store: StudioStore = createStudioStore();
  store.getState().setConfig(holdImportedConfig(store, opts.config));
  const explorer = syncExplorerToUrl();
  store.getState().setUi({ urlIssues: [...opts.issues, ...explorer.issues], presenter: opts.presenter });
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

function withoutPresenter(): string {
  const q = new URLSearchParams(window.location.search);
  q.delete('presenter');
  return `${window.location.pathname}${q.size ? `?${q}` : ''}`;
}

function Shell() {
  const presenter = useStudio(selectPresenter);
  return (
    <div className={presenter ? 'studio presenter' : 'studio'}>
      <header className="top">
        <h1>RTK Distillation Studio</h1>
        <nav aria-label="Page">
          <a href="#glossary">Glossary</a>
          {presenter ? <a href={withoutPresenter()}>Leave presenter view</a> : null}
        </nav>
      </header>
      <main>
        <ErrorBanner />
        <UrlIssues />
        <StorageNotice />
        <ResumeBanner />
        <DatasetStep />
        <TeacherStep />
        <MethodStep />
        <TrainingStep />
        <KeyExplorer />
        <PilotCard />
        <ExportStep />
        <Glossary />
      </main>
    </div>
  );
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
