/**
 * Writes every CIFAR-10 training image (50,000) as a PNG file into <out>/<class>/ for
 * bench:import, from the prepared dataset (public/datasets, or ../shared/data). Never committed.
 *
 *   npx tsx bench/makeImageFolder.ts <out> [--limit N]
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { loadDatasetNode } from '../src/ml/data/loadNode';

const out = process.argv[2];
const limitAt = process.argv.indexOf('--limit');
const limit = limitAt > 0 ? Number(process.argv[limitAt + 1]) : undefined;
if (!out) { console.error('usage: npx tsx bench/makeImageFolder.ts <out> [--limit N]'); process.exit(2); }
const dir = ['public/datasets', '../shared/data', '/work/shared/data'].find((d) => existsSync(path.join(d, 'cifar10', 'manifest.json')));
if (!dir) { console.error('cifar10 is not prepared: run npm run datasets'); process.exit(1); }
const ds = await loadDatasetNode(dir, 'cifar10', { trainLimit: limit, testLimit: 0 });
for (const name of ds.classNames) mkdirSync(path.join(out, name), { recursive: true });
const [h, w] = ds.shape;
const png = new PNG({ width: w, height: h, colorType: 2, inputColorType: 2, inputHasAlpha: false });
for (let i = 0; i < ds.train.count; i++) {
  const px = ds.train.images.subarray(i * h * w * 3, (i + 1) * h * w * 3);
  png.data = Buffer.from(px);
  writeFileSync(path.join(out, ds.classNames[ds.train.labels[i]], `${String(i).padStart(5, '0')}.png`), PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false }));
}
console.log(`wrote ${ds.train.count} PNG files under ${out}`);
