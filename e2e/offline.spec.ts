import { expect, test, type Page } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

/**
 * Offline, installable (vite.config.ts pwa): one visit caches the studio; with the network off a
 * reload still opens it, cross-origin isolated and under the same CSP, and the quick pilot runs
 * to the pilot card. onnxruntime-web is not among the cached files until an ONNX model is imported.
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
