import { expect, test, type Page } from '@playwright/test';
import { runPilotToEnd } from './helpers';

/** Which TF.js backends' code the page and its workers fetched (the chunk that registers each). */
function watchBackendCode(page: Page): Set<string> {
  const seen = new Set<string>();
  page.on('response', async (res) => {
    if (!/\.js(\?|$)/.test(res.url())) return;
    const body = await res.text().catch(() => '');
    for (const m of body.matchAll(/registerBackend\(\s*["'](\w+)["']/g)) seen.add(m[1]);
  });
  return seen;
}

const TINY = 'dataset=mnist&trainLimit=1000&testLimit=300&epochs=1&seed=3&batchSize=64&lr=0.01';

test('a wasm pilot (training and teacher workers) loads neither the WebGL nor the cpu backend, nor onnxruntime-web', async ({ page }) => {
  const seen = watchBackendCode(page);
  const ort: string[] = [];
  page.on('request', (r) => { if (/ort[.-]wasm|onnxRunner|onnxTeacher/.test(r.url())) ort.push(r.url()); });
  await page.goto(`/?backend=wasm&${TINY}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  await runPilotToEnd(page);
  expect([...seen].sort()).toEqual(['wasm']);
  // onnxruntime-web (code and .wasm) is fetched only when an ONNX teacher is imported (own-teacher.spec.ts).
  expect(ort).toEqual([]);
});

test('the cpu backend is fetched when it is chosen, and trains', async ({ page }) => {
  const seen = watchBackendCode(page);
  await page.goto(`/?backend=cpu&method=student-alone&${TINY}`);
  await expect(page.getByTestId('backend-name')).toHaveText('cpu', { timeout: 60_000 });
  const result = await runPilotToEnd(page);
  // ~14 steps on 900 real images: well above chance (10 %).
  expect(result.testAccuracy['student-alone']).toBeGreaterThan(0.3);
  expect(seen.has('cpu')).toBe(true);
  expect(seen.has('webgl')).toBe(false);
});
