/**
 * A folder of photos in Keras layout (<dir>/<class>/<file>.jpg) as a Dataset, decoded once by
 * Pillow (Debian's python3-pil, the library that wrote them) into a raw cache beside the
 * system temp folder, so the benchmark reads the JPEGs users have rather than a lossless copy.
 * Split: a seeded shuffle within each class, `testPerClass` images per class for the test split.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DatasetInfo } from '../../src/domain';
import { registerDataset, seededRandom } from '../../src/domain';
import type { Dataset } from '../../src/ml/types';

const DECODE = `
import os, sys, numpy as np
from PIL import Image
root, size, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
classes = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
imgs, labels = [], []
for c, name in enumerate(classes):
    for f in sorted(os.listdir(os.path.join(root, name))):
        im = Image.open(os.path.join(root, name, f)).convert('RGB')
        if im.size != (size, size): im = im.resize((size, size), Image.BILINEAR)
        imgs.append(np.asarray(im, dtype=np.uint8)); labels.append(c)
np.asarray(labels, dtype=np.uint8).tofile(out + '.labels')
np.stack(imgs).tofile(out + '.images')
open(out + '.classes', 'w').write('\\n'.join(classes))
`;

export function loadPhotoFolder(dir: string, size: number, testPerClass: number, seed: number): Dataset {
  const cache = path.join(os.tmpdir(), `photos-${path.basename(dir)}-${size}`);
  if (!existsSync(`${cache}.classes`)) execFileSync('/usr/bin/python3', ['-c', DECODE, dir, String(size), cache], { stdio: 'inherit' });
  const classNames = readFileSync(`${cache}.classes`, 'utf8').split('\n');
  const labels = new Uint8Array(readFileSync(`${cache}.labels`));
  const images = new Uint8Array(readFileSync(`${cache}.images`));
  const per = size * size * 3;
  if (images.length !== labels.length * per) throw new Error(`${cache}: ${images.length} bytes for ${labels.length} images of ${size}×${size}×3; delete the cache and rerun.`);
  const rand = seededRandom(seed);
  const test: number[] = [];
  const train: number[] = [];
  for (let c = 0; c < classNames.length; c++) {
    const idx = [...labels.keys()].filter((i) => labels[i] === c);
    for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [idx[i], idx[j]] = [idx[j], idx[i]]; }
    test.push(...idx.slice(0, testPerClass));
    train.push(...idx.slice(testPerClass));
  }
  for (let i = train.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [train[i], train[j]] = [train[j], train[i]]; }
  const split = (ix: number[]) => {
    const out = new Uint8Array(ix.length * per);
    ix.forEach((src, k) => out.set(images.subarray(src * per, (src + 1) * per), k * per));
    return { images: out, labels: Uint8Array.from(ix.map((i) => labels[i])), count: ix.length };
  };
  const id = `user-${'0123456789abcdef'.slice(0, 12)}${String(size).padStart(4, '0')}` as Dataset['id'];
  const info: DatasetInfo = { id, label: `${path.basename(dir)} (${size} px)`, shape: [size, size, 3], numClasses: classNames.length, classNames, pixelMax: 255, builtIn: false };
  registerDataset(info);
  return { id, shape: info.shape, numClasses: info.numClasses, classNames, pixelMax: 255, train: split(train), test: split(test) };
}
