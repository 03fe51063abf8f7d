/** Automation hook for `npm run bench:speed`: runs the in-worker benchmark and exposes the figures. */
import { teacherThreads } from '../domain';
import type { BenchFigures, TrainConfig } from '../domain';
import type { StudioClient } from '../bridge/client';
import type { StudioStore } from '../state/store';

declare global {
  interface Window { __benchResult?: BenchFigures | { error: string } }
}

/** For `npm run bench:methods`: one run of the URL's configuration, its figures on window. */
export async function startSingleRun(client: StudioClient, config: TrainConfig): Promise<void> {
  const t0 = performance.now();
  const { done } = client.startRun(config);
  const result = await done;
  if (!result) {
    window.__benchResult = { error: `the ${config.method} run did not finish` };
    return;
  }
  window.__benchResult = {
    testAccuracy: result.testAccuracy,
    valAccuracy: result.valAccuracy ?? -1,
    wallSeconds: (performance.now() - t0) / 1000,
    keptKeys: result.test.keys ? result.test.keys.kept.join('') : '',
    // The configuration the page filled in around the budget it was given.
    student: `${config.student.arch} w${config.student.width} d${config.student.depth}`,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    lrSchedule: config.lrSchedule,
    optimizer: config.optimizer,
    augment: config.augment,
  };
}

export async function startBench(client: StudioClient, config: TrainConfig): Promise<void> {
  const q = new URLSearchParams(window.location.search);
  const n = (key: string, dflt: number) => (q.get(key) !== null ? Number(q.get(key)) : dflt);
  try {
    window.__benchResult = await client.benchSpeed({
      config, warmupSteps: n('warmupSteps', 20), steps: n('steps', 100), driftSteps: n('drift', 500),
      ...(q.get('trace') !== null ? { traceSteps: n('trace', 50) } : {}),
    });
  } catch (err) {
    window.__benchResult = { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * For `npm run bench:teacher`: once the user's teacher has been imported (the benchmark picks its
 * file in the page) and measured, its forward pass and RTK steps with it; figures on window.
 */
export function startTeacherBench(client: StudioClient, store: StudioStore): void {
  const q = new URLSearchParams(window.location.search);
  const runs = Number(q.get('runs') ?? 30);
  const steps = Number(q.get('steps') ?? 40);
  const off = store.subscribe((s) => {
    if (s.ownTeacher.status !== 'ready' || !s.ownTeacher.baseline || !s.config.importedTeacher) return;
    off();
    const baseline = s.ownTeacher.baseline;
    client.benchTeacher(s.config, runs, steps).then(
      (figures) => {
        window.__benchResult = {
          ...figures, baselineAccuracy: baseline.accuracy, latencyMedianMs: baseline.latency?.medianMs ?? -1,
          // The baseline as the studio scores it (logits only, its batch, its threads): bench/teacher.mjs sets it beside Node.
          baselineSeconds: baseline.seconds ?? -1, baselineImages: baseline.images, baselineBatch: baseline.batchSize ?? -1,
          teacherThreads: teacherThreads(navigator.hardwareConcurrency, self.crossOriginIsolated === true),
        };
      },
      (err: unknown) => { window.__benchResult = { error: err instanceof Error ? err.message : String(err) }; },
    );
  });
}
