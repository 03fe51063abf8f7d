import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { pngOf, realTestSet, tmpDir } from './fixtures/ownImages';

/**
 * The import worker's decoder (src/worker/import/decode.ts) in Debian's Chromium, on real CIFAR-10
 * and Fashion-MNIST test images written here in every format issue 9 names: the same-size PNG fast
 * path (UPNG) gives exactly the pixels of the browser's own decoder and canvas; lossless formats
 * give back the dataset's pixels exactly; lossy ones come close; a GIF gives its first frame; a
 * larger image is resized. It runs against the dev server, which serves the module as it is.
 */

const DEV = `http://127.0.0.1:${process.env.E2E_DEV_PORT ?? 4180}`;
/** The real ImageMagick (the `convert` on PATH may be a stand-in that only prints PNGs). */
const MAGICK = '/usr/bin/convert';

type Case = { name: string; b64: string; colour: 'rgb' | 'grey'; size: number; expect: 'exact' | 'close' | 'first-frame' | 'refused'; truth: number[] };

test('every format decodes in the browser; the PNG fast path equals the canvas path pixel for pixel', async ({ page }) => {
  test.setTimeout(180_000);
  const cifar = await realTestSet('cifar10');
  const fashion = await realTestSet('fashion-mnist');
  const dir = tmpDir('decode');
  const cases: Case[] = [];
  const pixelsOf = (ds: typeof cifar, i: number) => {
    const n = ds.shape[0] * ds.shape[1] * ds.shape[2];
    return Array.from(ds.test.images.subarray(i * n, (i + 1) * n));
  };
  const add = (name: string, bytes: Buffer, c: Omit<Case, 'name' | 'b64'>) => cases.push({ name, b64: bytes.toString('base64'), ...c });
  const magick = (src: string, out: string, ...opts: string[]) => { execFileSync(MAGICK, [src, ...opts, out]); return readFileSync(out); };

  for (let i = 0; i < 6; i++) {
    const png = path.join(dir, `c${i}.png`);
    writeFileSync(png, pngOf(cifar, i));
    const truth = pixelsOf(cifar, i);
    add(`cifar ${i} PNG`, readFileSync(png), { colour: 'rgb', size: 32, expect: 'exact', truth });
    add(`cifar ${i} BMP`, magick(png, path.join(dir, `c${i}.bmp`), '-type', 'TrueColor'), { colour: 'rgb', size: 32, expect: 'exact', truth });
    add(`cifar ${i} WebP (lossless)`, magick(png, path.join(dir, `c${i}.webp`), '-define', 'webp:lossless=true'), { colour: 'rgb', size: 32, expect: 'exact', truth });
    add(`cifar ${i} JPEG`, magick(png, path.join(dir, `c${i}.jpg`), '-quality', '95'), { colour: 'rgb', size: 32, expect: 'close', truth });
    add(`cifar ${i} GIF`, magick(png, path.join(dir, `c${i}.gif`)), { colour: 'rgb', size: 32, expect: 'close', truth });
    // Twice the size: not the fast path; the canvas scales it back to 32×32.
    add(`cifar ${i} PNG 64×64`, magick(png, path.join(dir, `c${i}-64.png`), '-filter', 'point', '-resize', '200%'), { colour: 'rgb', size: 32, expect: 'close', truth });
  }
  // An animated GIF: frame 0 is image 0, frame 1 is image 1; the first frame is the one kept.
  execFileSync(MAGICK, ['-delay', '10', path.join(dir, 'c0.png'), path.join(dir, 'c1.png'), '-loop', '0', path.join(dir, 'anim.gif')]);
  add('animated GIF', readFileSync(path.join(dir, 'anim.gif')), { colour: 'rgb', size: 32, expect: 'first-frame', truth: pixelsOf(cifar, 0) });
  for (let i = 0; i < 4; i++) {
    add(`fashion ${i} greyscale PNG`, pngOf(fashion, i), { colour: 'grey', size: 28, expect: 'exact', truth: pixelsOf(fashion, i) });
  }

  // Cut short: UPNG alone would return part of the picture; the file must be refused instead.
  const whole = pngOf(cifar, 0);
  add('truncated PNG', whole.subarray(0, Math.floor(whole.length * 0.6)), { colour: 'rgb', size: 32, expect: 'refused', truth: pixelsOf(cifar, 0) });

  await page.goto(`${DEV}/?backend=wasm`);
  const results = await page.evaluate(async ({ all, url }) => {
    const m = (await import(url)) as typeof import('../src/worker/import/decode');
    const out = [];
    for (const c of all) {
      const bytes = Uint8Array.from(atob(c.b64), (ch) => ch.charCodeAt(0));
      const settings = { height: c.size, width: c.size, colour: c.colour, resize: 'stretch' as const, testShare: 0.2, seed: 1 };
      const n = c.size * c.size * (c.colour === 'rgb' ? 3 : 1);
      const fast = new Uint8Array(n);
      const canvas = new Uint8Array(n);
      const d = await m.decodeInto(bytes, settings, fast, 0);
      const dc = await m.decodeInto(bytes, settings, canvas, 0, { canvasOnly: true });
      let fastVsCanvas = 0;
      let meanAbs = 0;
      for (let i = 0; i < n; i++) {
        if (fast[i] !== canvas[i]) fastVsCanvas++;
        meanAbs += Math.abs(fast[i] - c.truth[i]) / n;
      }
      out.push({ name: c.name, expect: c.expect, ok: d.ok && dc.ok, kind: d.ok ? d.kind : d.reason, fastVsCanvas, meanAbs });
    }
    return out;
  }, { all: cases, url: '/src/worker/import/decode.ts' });

  for (const r of results) {
    if (r.expect === 'refused') { expect(r.kind, `${r.name} is refused`).toBe('corrupt'); continue; }
    expect(r.ok, `${r.name} decodes (${r.kind})`).toBe(true);
    // The two paths agree everywhere: for the PNG fast path this is the claim; for the other
    // formats both calls take the canvas path, so it also shows the decoder is deterministic.
    expect(r.fastVsCanvas, `${r.name}: fast path vs canvas path, differing bytes`).toBe(0);
    if (r.expect === 'exact') expect(r.meanAbs, `${r.name}: mean |pixel − dataset|`).toBe(0);
    else expect(r.meanAbs, `${r.name}: mean |pixel − dataset|`).toBeLessThan(12);
  }
  const kinds = new Set(results.filter((r) => r.ok).map((r) => r.kind));
  expect([...kinds].sort()).toEqual(['bmp', 'gif', 'jpeg', 'png', 'webp']);
  // The animated GIF is its first frame: closer to image 0 than image 1 is to image 0.
  const anim = results.find((r) => r.name === 'animated GIF')!;
  const gif0 = results.find((r) => r.name === 'cifar 0 GIF')!;
  expect(anim.meanAbs).toBeLessThanOrEqual(gif0.meanAbs + 1);
});
