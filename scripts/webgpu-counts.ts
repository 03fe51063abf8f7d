/**
 * What one training step issues on WebGPU, per program, in Node on Dawn (SwiftShader without a
 * GPU: run with the environment of scripts/lib/dawn.ts `softwareVulkanEnv`, as vitest does).
 *
 *   LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json \
 *     npx tsx scripts/webgpu-counts.ts [--batch 16] [--method rtk|student-alone|kd] [--rows 15]
 *
 * Prints dispatches, submits, buffers created, readbacks per steady-state step and the
 * dispatches per program (src/worker/bench.ts countSteps, the figures bench:speed records).
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { MethodId } from '../src/domain';
import { DEFAULT_CONFIG } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { buildModel } from '../src/ml/models';
import { disposeFrozen } from '../src/ml/models/frozen';
import { DistillSession } from '../src/ml/train/session';
import { countSteps } from '../src/worker/bench';
import { installDawn } from './lib/dawn';

const args = process.argv.slice(2);
const arg = (n: string, d: string) => { const i = args.indexOf(`--${n}`); return i >= 0 ? args[i + 1] : d; };

async function main() {
  await installDawn();
  const info = await initBackend('webgpu');
  const ds = await loadDatasetNode(path.resolve('public/datasets'), 'mnist', { trainLimit: 2000, testLimit: 10 });
  const methods = arg('method', 'student-alone,rtk').split(',') as MethodId[];
  for (const method of methods) {
    const cfg = { ...DEFAULT_CONFIG, method, batchSize: Number(arg('batch', '16')) };
    const student = buildModel(cfg.student, ds.shape, ds.numClasses, cfg.seed);
    const teacher = method === 'student-alone' ? null : buildModel(cfg.teacher, ds.shape, ds.numClasses, cfg.seed + 1);
    const session = new DistillSession(cfg, student, teacher);
    const t0 = performance.now();
    const counts = await countSteps(session, ds, cfg.batchSize, null, Number(arg('rows', '15')));
    console.log(`${method} (batch ${cfg.batchSize}, ${info.adapter}, ${((performance.now() - t0) / 1000).toFixed(1)} s):`);
    console.log(JSON.stringify(counts, null, 1));
    session.dispose();
    if (teacher) { disposeFrozen(teacher.model); teacher.model.dispose(); }
  }
  console.log(`numTensors ${tf.memory().numTensors}`);
  process.exit(0);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
