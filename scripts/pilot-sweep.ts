/**
 * Quick pilot experiments in Node (wasm, 1 thread): trains the default pilot configuration with
 * overrides and prints the test accuracy and wall time of each, with the shipped MNIST teacher.
 *
 *   npx tsx scripts/pilot-sweep.ts '{"method":"student-alone"}' '{"method":"rtk","options":{"afd":{"beta":50}}}'
 *
 * Each argument is a JSON object merged into DEFAULT_CONFIG (nested `options` merged one level deep).
 * --holdout also scores each trained student on the training images the run never used (from
 * trainLimit to the end of the training set: 30,000 MNIST images at the default), a selection set
 * for settings that keeps the test set out of the choice.
 */
import path from 'node:path';
import type { TrainConfig } from '../src/domain';
import { DEFAULT_CONFIG } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { evaluate } from '../src/ml/train/evaluate';
import type { DistillSession } from '../src/ml/train/session';
import type { Dataset, TappedModel } from '../src/ml/types';
import { TrainerRun } from '../src/worker/trainer';
import { nodeEnv } from './lib/nodeEnv';
import { loadShippedTeacher } from './lib/shippedTeacher';

function merge(base: TrainConfig, o: Record<string, unknown>): TrainConfig {
  const opts = (o.options ?? {}) as Record<string, object>;
  const options = { ...base.options } as Record<string, object>;
  for (const [k, v] of Object.entries(opts)) options[k] = { ...options[k], ...v };
  return { ...base, ...o, options } as unknown as TrainConfig;
}

async function main() {
  await initBackend('wasm', {});
  const teachers = new Map<string, TappedModel>();
  const holdout = process.argv.includes('--holdout');
  const full = new Map<string, Dataset>();
  for (const a of process.argv.slice(2).filter((x) => x !== '--holdout')) {
    const config = merge(DEFAULT_CONFIG, JSON.parse(a));
    if (!teachers.has(config.dataset)) teachers.set(config.dataset, await loadShippedTeacher(config.dataset));
    if (holdout && !full.has(config.dataset)) full.set(config.dataset, await loadDatasetNode(path.resolve('public/datasets'), config.dataset, { testLimit: 1 }));
    const t0 = performance.now();
    const curve: string[] = [];
    let held = '';
    const onTrained = holdout ? async (session: DistillSession) => {
      const ds = full.get(config.dataset)!;
      // trainLimit 0 trains on every image: nothing is held out then.
      const first = config.trainLimit > 0 ? config.trainLimit : ds.train.count;
      const idx = Int32Array.from({ length: Math.max(0, ds.train.count - first) }, (_, i) => first + i);
      if (idx.length === 0) { held = ', held-out: none (the run used every training image)'; return; }
      const r = await evaluate(session, ds, ds.train, idx, { epoch: 0, splitName: 'val', batchSize: 256, keyStatsLimit: 0 });
      held = `, held-out ${(r.accuracy * 100).toFixed(2)} % of ${idx.length}`;
    } : undefined;
    const run = new TrainerRun('sweep', config, nodeEnv({
      dataDir: path.resolve('public/datasets'),
      teacher: teachers.get(config.dataset),
      onTrained,
      emit: (e) => {
        if (e.type === 'eval' && e.report.split === 'val') curve.push((e.report.accuracy * 100).toFixed(1));
        if (e.type === 'error') console.error(e.message);
      },
    }));
    const r = await run.run();
    console.log(`${a} → test ${r ? (r.testAccuracy * 100).toFixed(2) : 'failed'} % (val per epoch ${curve.join(', ')}${held}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
}
void main();
