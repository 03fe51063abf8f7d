import { useEffect, useState } from 'react';
import { StudioClient } from '../bridge/client';
import { runPilot } from '../bridge/pilot';
import { createStudioStore, type StudioStore } from '../state/store';
import { StudioContext, type StudioHandles } from '../ui/context';
import { BackendBadge } from '../ui/BackendBadge';
import { ErrorBanner } from '../ui/ErrorBanner';
import { PilotSetup } from '../ui/PilotSetup';
import { RunProgress } from '../ui/RunProgress';
import { ResultsTable } from '../ui/ResultsTable';
import { readStartOptions } from './urlParams';
import { startBench, startSingleRun } from './bench';

function createHandles(): StudioHandles {
  const opts = readStartOptions(window.location.search);
  const store: StudioStore = createStudioStore();
  store.getState().setConfig(opts.configPatch);
  const client = new StudioClient(store, opts.backend);
  if (opts.autorun === 'pilot') void runPilot(client, store, ['student-alone', store.getState().config.method]);
  if (opts.autorun === 'bench-speed') void startBench(client, store.getState().config);
  if (opts.autorun === 'run') void startSingleRun(client, store.getState().config);
  return { store, client };
}

export function App() {
  const [handles] = useState(createHandles);
  useEffect(() => () => handles.client.dispose(), [handles]);
  return (
    <StudioContext.Provider value={handles}>
      <header className="top">
        <h1>RTK Distillation Studio</h1>
        <BackendBadge />
      </header>
      <main>
        <ErrorBanner />
        <PilotSetup />
        <RunProgress />
        <ResultsTable />
      </main>
    </StudioContext.Provider>
  );
}
