/**
 * The "Export for a cluster" target from the command line:
 *
 *   npm run export:pytorch -- --card distillation-card.json --out DIR [--data-root public/datasets]
 *
 * Reads the pilot's configuration from the card, loads the shipped teacher and the dataset
 * (wasm backend, as the other scripts), and writes the folder src/ml/export/pytorchJob.ts
 * describes: train.py, config.json, teacher/, golden.json, test_parity.py, README.md, …
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { buildPytorchJob } from '../src/ml/export/pytorchJob';
import { configFromCard, jobSources } from './lib/jobCard';
import { loadShippedTeacher } from './lib/shippedTeacher';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export async function exportPytorch(cardPath: string, out: string, dataRoot = path.resolve('public/datasets')): Promise<string[]> {
  const config = configFromCard(cardPath);
  await initBackend((process.env.RTK_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'wasm', {});
  const ds = await loadDatasetNode(dataRoot, config.dataset, { trainLimit: 64, testLimit: 1 });
  const teacher = await loadShippedTeacher(config.dataset);
  const files = await buildPytorchJob({ config, ds, teacher, sources: jobSources(), dataRoot });
  for (const [rel, bytes] of Object.entries(files)) {
    const p = path.join(out, rel);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, bytes);
  }
  teacher.model.dispose();
  return Object.keys(files);
}

async function main() {
  const card = arg('card');
  const out = arg('out');
  if (!card || !out) {
    console.error('usage: npm run export:pytorch -- --card distillation-card.json --out DIR [--data-root public/datasets]');
    process.exit(2);
  }
  try {
    const names = await exportPytorch(path.resolve(card), path.resolve(out), path.resolve(arg('data-root') ?? 'public/datasets'));
    console.log(`Wrote ${names.length} files to ${out}. Run: cd ${out} && torchrun --standalone --nproc_per_node=2 train.py --config config.json`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) void main();
