import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

/**
 * Offline, installable (vite.config.ts pwa): one visit caches the studio; with the network off a
 * reload still opens it, cross-origin isolated and under the same CSP, and the quick pilot runs
 * to the pilot card. onnxruntime-web is not among the cached files until an ONNX model is imported.
 * A new deployment (a changed dist/sw.js) brings the update prompt, and its Reload moves the page to it.
 */
test.use({ serviceWorkers: 'allow' });

/** Bytes per cache of this origin (Cache Storage), as the page sees them. */
async function cacheSizes(page: Page): Promise<Record<string, { entries: number; bytes: number; urls: string[] }>> {
  return page.evaluate(async () => {
    const out: Record<string, { entries: number; bytes: number; urls: string[] }> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      const requests = await cache.keys();
      let bytes = 0;
      for (const r of requests) bytes += (await (await cache.match(r))!.arrayBuffer()).byteLength;
      out[name] = { entries: requests.length, bytes, urls: requests.map((r) => new URL(r.url).pathname) };
    }
    return out;
  });
}

test('after one visit the studio opens offline, cross-origin isolated, and runs the quick pilot to the pilot card', async ({ page, context }, info) => {
  test.setTimeout(480_000);
  await page.goto(`/?backend=wasm&${FAST}`);
  const manifest = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(manifest).toBeTruthy();
  const app = await (await page.request.get(manifest!)).json() as { name: string; display: string; icons: { sizes: string }[] };
  expect(app.display).toBe('standalone');
  expect(app.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  // The service worker has installed its precache (the shell, teachers, MNIST) and says so.
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 180_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  const sizes = await cacheSizes(page);
  const all = Object.values(sizes).flatMap((c) => c.urls);
  expect(all).toEqual(expect.arrayContaining(['/index.html', '/teachers/mnist/model.json', '/datasets/mnist/train-images.u8.gz']));
  expect(all.filter((u) => /ort[.-]wasm|\/ort\./.test(u))).toEqual([]);
  const summary = Object.fromEntries(Object.entries(sizes).map(([k, v]) => [k, { entries: v.entries, MiB: Number((v.bytes / 2 ** 20).toFixed(2)) }]));
  console.log(`caches after one visit: ${JSON.stringify(summary)}`);
  await info.attach('cache-sizes.json', { body: JSON.stringify(summary, null, 2), contentType: 'application/json' });

  await context.setOffline(true);
  const response = await page.reload();
  expect(response?.fromServiceWorker()).toBe(true);
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("connect-src 'self'");
  expect(csp).not.toContain("'unsafe-eval'");
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  const result = await runPilotToEnd(page, 400_000);
  for (const method of ['student-alone', 'rtk']) expect(Number.isFinite(result.testAccuracy[method])).toBe(true);
  await expect(page.getByTestId('acc-rtk')).toHaveText(/%$/);
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
});

test('a second dataset, and onnxruntime-web with its wasm, are cached only once used', async ({ page }, info) => {
  test.setTimeout(600_000);
  const query = '/?backend=wasm&dataset=fashion-mnist&trainLimit=500&testLimit=200';
  await page.goto(query);
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 180_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  // This page loaded Fashion-MNIST before the worker took over; the next load goes through it.
  await page.reload();
  await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 180_000 });
  const before = await cacheSizes(page);
  expect(before.onnxruntime?.entries ?? 0).toBe(0);
  expect(before.datasets?.urls ?? []).toEqual(expect.arrayContaining(['/datasets/fashion-mnist/train-images.u8.gz']));

  await page.getByTestId('own-teacher-files').setInputFiles(new URL('../fixtures/onnx/fashion-resnet.onnx', import.meta.url).pathname);
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 400_000 });
  const after = await cacheSizes(page);
  expect(after.onnxruntime?.urls.some((u) => /ort-wasm.*\.wasm$/.test(u))).toBe(true);
  const summary = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, { entries: v.entries, MiB: Number((v.bytes / 2 ** 20).toFixed(2)), urls: k === 'onnxruntime' ? v.urls : undefined }]));
  console.log(`caches after Fashion-MNIST and an ONNX import: ${JSON.stringify(summary)}`);
  await info.attach('cache-sizes-onnx.json', { body: JSON.stringify(summary, null, 2), contentType: 'application/json' });
});

test('a new deployment brings the update prompt, and Reload moves the page to the new version', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/?backend=wasm&dataset=mnist');
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 180_000 });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  // A deployment as the browser sees one: the service worker script's bytes change.
  const sw = path.resolve(fileURLToPath(new URL('../dist/sw.js', import.meta.url)));
  const original = readFileSync(sw, 'utf8');
  try {
    writeFileSync(sw, `${original}\n// deployed again ${Date.now()}\n`);
    await page.evaluate(async () => { await (await navigator.serviceWorker.getRegistration())!.update(); });
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toBeVisible({ timeout: 120_000 });
    await expect(prompt).toContainText('A new version of the studio is ready');
    const reloaded = page.waitForEvent('load', { timeout: 120_000 });
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    const state = await page.evaluate(async () => {
      const r = (await navigator.serviceWorker.getRegistration())!;
      return { waiting: r.waiting !== null, controlled: navigator.serviceWorker.controller !== null };
    });
    expect(state).toEqual({ waiting: false, controlled: true });
  } finally {
    writeFileSync(sw, original);
  }
});
