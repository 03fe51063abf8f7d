import { expect, test } from '@playwright/test';
import { runPilotToEnd } from './helpers';

/** The dev server README's `npm start` runs (playwright.config.ts starts it on this port). */
const DEV = `http://127.0.0.1:${process.env.E2E_DEV_PORT ?? 4180}`;

test('the dev server of `npm start` runs a tiny pilot too (its pre-bundled TF.js works in both workers)', async ({ page }) => {
  await page.goto(`${DEV}/?backend=wasm&dataset=mnist&trainLimit=1000&testLimit=300&epochs=1&seed=3&batchSize=64&lr=0.01`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 120_000 });
  const result = await runPilotToEnd(page);
  // ~14 steps on 900 real images: well above chance (10 %) for both methods.
  expect(result.testAccuracy['student-alone']).toBeGreaterThan(0.3);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0.3);
});
