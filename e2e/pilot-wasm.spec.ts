import { expect, test } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

test('a tiny pilot on real MNIST runs to completion on the wasm backend', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  const result = await runPilotToEnd(page);
  for (const method of ['student-alone', 'rtk']) {
    const acc = result.testAccuracy[method];
    expect(Number.isFinite(acc), `${method} accuracy is finite`).toBe(true);
    // Ten classes: chance is 10%. A real model on real digits must beat it by far.
    expect(acc).toBeGreaterThan(0.5);
  }
  await expect(page.getByTestId('acc-rtk')).toHaveText(/%$/);
  await page.screenshot({ path: info.outputPath('pilot-wasm.png'), fullPage: true });
});
