/// <reference lib="webworker" />
/**
 * Worker entry: receives WorkerCommands, drives TrainerRun, posts WorkerEvents. Only one run is
 * active; a new start stops the old one, and commands for another run id are ignored.
 */
import type { WorkerCommand, WorkerEvent } from '../domain';
import { TrainerRun } from './trainer';
import { browserEnv, measureCosts, setupBackend } from './env';
import { benchSpeed } from './bench';

declare const self: DedicatedWorkerGlobalScope;

let active: TrainerRun | null = null;
let assetBase = '/';
let ready: Promise<unknown> | null = null;

function post(event: WorkerEvent): void {
  self.postMessage(event);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function handle(cmd: WorkerCommand): Promise<void> {
  switch (cmd.type) {
    case 'init':
      assetBase = cmd.assetBase;
      ready = setupBackend(cmd.backend, assetBase).then((info) => post({ type: 'backend', info }));
      await ready;
      return;
    case 'start': {
      await ready;
      active?.stop();
      const run = new TrainerRun(cmd.runId, cmd.config, browserEnv(assetBase, post, cmd.teacherUrl));
      active = run;
      try {
        await run.run();
      } catch (err) {
        post({ type: 'error', runId: cmd.runId, message: errorText(err) });
        post({ type: 'status', runId: cmd.runId, state: 'failed', message: errorText(err) });
      }
      return;
    }
    case 'pause':
    case 'resume':
    case 'step':
    case 'stop':
      if (active && active.runId === cmd.runId) active[cmd.type]();
      return;
    case 'costs': {
      await ready;
      const r = await measureCosts(cmd.spec, cmd.dataset, cmd.latency);
      post({ type: 'costs', requestId: cmd.requestId, costs: r.costs, latency: r.latency });
      return;
    }
    case 'bench-speed': {
      await ready;
      const env = browserEnv(assetBase, post, null);
      const ds = await env.loadData(cmd.config, () => undefined);
      post({ type: 'bench', requestId: cmd.requestId, figures: benchSpeed(cmd, ds) });
      return;
    }
  }
}

self.onmessage = (e: MessageEvent<WorkerCommand>) => {
  handle(e.data).catch((err) => post({ type: 'error', runId: null, message: errorText(err) }));
};
