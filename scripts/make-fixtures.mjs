/**
 * `npm run fixtures` (part of `npm test`): the test fixture too large to keep in git, the 224 px
 * teacher fixtures/onnx/photo-mobilenet-v2.onnx (8.9 MB; issue 26's MobileNetV2), is built when
 * missing by scripts/photo-fixture/make_photo_teacher.py with Debian's python3-torch on real
 * CIFAR-10 images (public/datasets/cifar10 after `npm run datasets`, or ../shared/data). One thread
 * and fixed seeds make it bit for bit the file every figure in bench/results was measured with;
 * its SHA-256 is checked against the one the committed sidecar JSON records, and a different file
 * (another torch) is reported, not refused. About 8–12 minutes on 2 cores, once.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODEL = path.join(ROOT, 'fixtures/onnx/photo-mobilenet-v2.onnx');
const SIDECAR = path.join(ROOT, 'fixtures/onnx/photo-mobilenet-v2.json');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';

const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');
const expected = JSON.parse(readFileSync(SIDECAR, 'utf8')).sha256;
const rel = path.relative(ROOT, MODEL);

if (!existsSync(MODEL)) {
  console.log(`${rel} is missing: building it (make_photo_teacher.py, one thread; about 8–12 minutes on 2 cores)`);
  const t0 = Date.now();
  const r = spawnSync(PYTHON, [path.join(ROOT, 'scripts/photo-fixture/make_photo_teacher.py')], { stdio: 'inherit', env: { ...process.env, THREADS: '1' } });
  if (r.status !== 0) {
    console.error(`Building ${rel} failed (${r.error?.message ?? `exit ${r.status}`}). It needs Debian's python3-torch, python3-torchvision, python3-onnx, python3-numpy and python3-pil, and CIFAR-10 prepared (npm run datasets).`);
    process.exit(1);
  }
  console.log(`built ${rel} in ${Math.round((Date.now() - t0) / 1000)} s`);
}
const got = sha256(MODEL);
if (got === expected) console.log(`${rel}: SHA-256 ${got.slice(0, 12)}…, the file the figures in bench/results were measured with`);
else console.warn(`${rel}: SHA-256 ${got.slice(0, 12)}… differs from ${expected.slice(0, 12)}… (the file the figures in bench/results were measured with; another torch makes other weights). Tests still run; figures measured with it are its own.`);
