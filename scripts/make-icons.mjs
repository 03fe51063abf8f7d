#!/usr/bin/env node
/**
 * Draws the studio's app icons (public/icons/icon-192.png, icon-512.png, maskable-512.png) for
 * the web app manifest (vite.config.ts): a grid of teacher keys, the kept ones in the studio's
 * "kept" colour, on the page's dark background. Run once; the PNGs are committed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BG = [0x1b, 0x1f, 0x2a];
const KEPT = [0x00, 0x9e, 0x73]; // Okabe–Ito bluish green
const DROPPED = [0x55, 0x5b, 0x6b];
const KEPT_CELLS = new Set([1, 4, 6, 7, 9, 14]);

function icon(size, padFraction) {
  const png = new PNG({ width: size, height: size });
  const pad = Math.round(size * padFraction);
  const cell = (size - 2 * pad) / 4;
  const gap = Math.max(1, Math.round(cell * 0.12));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let c = BG;
      const gx = Math.floor((x - pad) / cell);
      const gy = Math.floor((y - pad) / cell);
      const inCell = gx >= 0 && gx < 4 && gy >= 0 && gy < 4 && (x - pad) - gx * cell >= gap && (y - pad) - gy * cell >= gap;
      if (inCell) c = KEPT_CELLS.has(gy * 4 + gx) ? KEPT : DROPPED;
      const i = (y * size + x) * 4;
      png.data[i] = c[0]; png.data[i + 1] = c[1]; png.data[i + 2] = c[2]; png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'icon-192.png'), icon(192, 0.12));
writeFileSync(path.join(out, 'icon-512.png'), icon(512, 0.12));
// Maskable: the platform may crop to a circle, so the keys stay inside the central 80 %.
writeFileSync(path.join(out, 'maskable-512.png'), icon(512, 0.2));
console.log(`wrote ${out}/icon-192.png, icon-512.png, maskable-512.png`);
