import { expect, test } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

test('a tiny pilot on real MNIST runs to completion on the wasm backend', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });
  const result = await runPilotToEnd(page);
  // Ten classes: chance is 10%. ~45 steps on real digits must beat it by far; the RTK student
  // also balances the feature loss (β = 200) this early, so its bar is lower.
  const floor: Record<string, number> = { 'student-alone': 0.5, rtk: 0.25 };
  for (const method of ['student-alone', 'rtk']) {
    const acc = result.testAccuracy[method];
    expect(Number.isFinite(acc), `${method} accuracy is finite`).toBe(true);
    expect(acc).toBeGreaterThan(floor[method]);
  }
  await expect(page.getByTestId('acc-rtk')).toHaveText(/%$/);
  await page.screenshot({ path: info.outputPath('pilot-wasm.png'), fullPage: true });
});
