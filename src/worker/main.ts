/// <reference lib="webworker" />
/**
 * Worker entry: receives WorkerCommands, drives TrainerRun, posts WorkerEvents. Only one run is
 * active; a new start stops the old one, and commands for another run id are ignored.
 */
import type { BackendInfo, CheckpointData, StoredCheckpoint, WorkerCommand, WorkerEvent } from '../domain';
import { DEFAULT_CONFIG, registerDataset, unpackCheckpoint } from '../domain';
import { TrainerRun } from './trainer';
import { browserEnv, measureCosts, measurePair, setupBackend } from './env';
import { benchSpeed } from './bench';
import { lossTrace } from './lossTrace';
import { chooseForRun, idbCache } from './backendChoice';
import { datasetPreview, energyMaps, evaluateFiles, exportStudent, type FinishedRun } from './requests';
import { deployVariants, exportInference, exportJob } from './exportRequests';
import { answerTeacherImport, cancelRequest } from './teacherRequests';
import { pageDrawn } from './pageDrawn';

declare const self: DedicatedWorkerGlobalScope;

let active: TrainerRun | null = null;
let assetBase = '/';
let ready: Promise<unknown> | null = null;
/** What setupBackend found ('auto': every candidate), for choosing by speed per run. */
let startInfo: BackendInfo | null = null;
const speedCache = idbCache();
/** Finished runs by id, for export and energy maps (weights only, a few hundred KB each). */
const finished = new Map<string, FinishedRun>();

function post(event: WorkerEvent): void {
  self.postMessage(event);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function finishedRun(runId: string): FinishedRun {
  const run = finished.get(runId);
  if (!run) throw new Error('the trained student of this run is not in this tab and its weights were not saved in this browser; run the pilot again');
  return run;
}

/** The run a request names: the saved one it carries (a reopened run), else the one trained in this tab. */
async function savedOrFinished(cmd: { runId: string; saved?: { config: FinishedRun['config']; checkpoint: StoredCheckpoint } }): Promise<FinishedRun> {
  return cmd.saved ? { config: cmd.saved.config, checkpoint: await unpackCheckpoint(cmd.saved.checkpoint) } : finishedRun(cmd.runId);
}

async function train(cmd: Extract<WorkerCommand, { type: 'start' }>): Promise<void> {
  await ready;
  active?.stop();
  const env = browserEnv(assetBase, post, cmd.teacherUrl);
  if (startInfo && (startInfo.candidates?.length ?? 0) > 1) {
    // 'auto' with several usable backends: time this configuration on each, keep the fastest.
    try {
      post({ type: 'status', runId: cmd.runId, state: 'loading', message: 'Timing the backends on this configuration' });
      const ds = await env.loadData(cmd.config, () => undefined);
      const chosen = await chooseForRun(startInfo, cmd.config, ds, speedCache);
      if (chosen) post({ type: 'backend', info: chosen });
    } catch (err) {
      // The run itself reports a data problem; a failed timing keeps the backend that is active.
      console.warn(`choosing a backend by speed failed: ${errorText(err)}`);
    }
  }
  let resume: CheckpointData | null = null;
  try {
    resume = cmd.resume ? await unpackCheckpoint(cmd.resume) : null;
  } catch (err) {
    // A damaged saved checkpoint fails this run with its reason; nothing else is touched.
    post({ type: 'status', runId: cmd.runId, state: 'failed', message: `Could not resume: ${errorText(err)}` });
    return;
  }
  const run = new TrainerRun(cmd.runId, cmd.config, env, resume);
  active = run;
  try {
    const result = await run.run();
    if (result && run.checkpoint) finished.set(cmd.runId, { config: cmd.config, checkpoint: run.checkpoint });
  } catch (err) {
    post({ type: 'error', runId: cmd.runId, message: errorText(err) });
    post({ type: 'status', runId: cmd.runId, state: 'failed', message: errorText(err) });
  }
}

/** Answers a one-off request, turning any failure into a request-error event. */
async function answer(requestId: string, work: () => Promise<WorkerEvent>): Promise<void> {
  try {
    await ready;
    post(await work());
  } catch (err) {
    post({ type: 'request-error', requestId, message: errorText(err) });
  }
}

async function handle(cmd: WorkerCommand): Promise<void> {
  switch (cmd.type) {
    case 'init':
      assetBase = cmd.assetBase;
      ready = setupBackend(cmd.backend, assetBase).then((info) => { startInfo = info; post({ type: 'backend', info }); });
      await ready;
      return;
    case 'start':
      return train(cmd);
    case 'pause':
    case 'resume':
    case 'step':
    case 'stop': {
      const run = active;
      if (run && run.runId === cmd.runId) run[cmd.type]();
      return;
    }
    case 'page-drawn':
      pageDrawn(cmd.id);
      return;
    case 'dataset-info':
      registerDataset(cmd.info);
      return;
    case 'costs':
      return answer(cmd.requestId, async () => {
        const r = await measureCosts(cmd.spec, cmd.dataset, cmd.latency);
        return { type: 'costs', requestId: cmd.requestId, costs: r.costs, latency: r.latency };
      });
    case 'latency-pair':
      return answer(cmd.requestId, async () => ({ type: 'latency-pair', requestId: cmd.requestId, pair: await measurePair(cmd.teacher, cmd.student, cmd.dataset) }));
    case 'preview':
      return answer(cmd.requestId, async () => {
        // The whole training split: the preview reports its size and class balance.
        const ds = await browserEnv(assetBase, post, null).loadData({ ...DEFAULT_CONFIG, dataset: cmd.dataset, trainLimit: 0, testLimit: 0 }, () => undefined);
        return { type: 'preview', requestId: cmd.requestId, preview: datasetPreview(ds, cmd.count) };
      });
    case 'export':
      // The one-output inference model (no taps), as a TF.js user expects.
      // A teacher trained here keeps its taps (the teacher source distils from them).
      return answer(cmd.requestId, async () => {
        const run = await savedOrFinished(cmd);
        return { type: 'export', requestId: cmd.requestId, files: cmd.withTaps ? await exportStudent(run) : await exportInference(run, cmd.probabilities ?? false) };
      });
    case 'deploy-variants':
      return answer(cmd.requestId, async () => {
        const run = await savedOrFinished(cmd);
        const ds = await browserEnv(assetBase, post, null).loadData(run.config, () => undefined);
        return { type: 'deploy-variants', requestId: cmd.requestId, variants: await deployVariants(run, cmd.probabilities, ds) };
      });
    case 'export-job':
      return answer(cmd.requestId, async () => ({ type: 'job-files', requestId: cmd.requestId, files: await exportJob(cmd.config, browserEnv(assetBase, post, null)) }));
    case 'evaluate-model':
      return answer(cmd.requestId, async () => {
        const ds = await browserEnv(assetBase, post, null).loadData(cmd.config, () => undefined);
        return { type: 'evaluated', requestId: cmd.requestId, testAccuracy: await evaluateFiles(cmd.files, cmd.config, ds) };
      });
    case 'energy':
      return answer(cmd.requestId, async () => {
        const run = await savedOrFinished(cmd);
        const env = browserEnv(assetBase, post, null);
        const ds = await env.loadData(run.config, () => undefined);
        const teacher = await env.loadTeacher(run.config, ds);
        if (!teacher) throw new Error('Energy maps need the teacher of the run.');
        return { type: 'energy', requestId: cmd.requestId, maps: await energyMaps(run, teacher, ds, cmd.count) };
      });
    case 'teacher-import':
    case 'teacher-baseline':
      return answer(cmd.requestId, () => answerTeacherImport(cmd, browserEnv(assetBase, post, null), post));
    case 'cancel-request':
      cancelRequest(cmd.requestId);
      return;
    case 'bench-teacher':
      return answer(cmd.requestId, async () => {
        const ds = await browserEnv(assetBase, post, null).loadData(cmd.config, () => undefined);
        const { benchTeacher } = await import('./benchTeacher');
        return { type: 'bench', requestId: cmd.requestId, figures: await benchTeacher(cmd.config, ds, cmd.runs, cmd.steps) };
      });
    case 'bench-speed':
      return answer(cmd.requestId, async () => {
        const ds = await browserEnv(assetBase, post, null).loadData(cmd.config, () => undefined);
        const figures = cmd.traceSteps != null
          ? { ...(await lossTrace(cmd.config, ds, ['student-alone', 'kd', 'rtk'], cmd.traceSteps)) }
          : await benchSpeed(cmd, ds);
        return { type: 'bench', requestId: cmd.requestId, figures };
      });
  }
}

self.onmessage = (e: MessageEvent<WorkerCommand>) => {
  handle(e.data).catch((err) => post({ type: 'error', runId: null, message: errorText(err) }));
};
