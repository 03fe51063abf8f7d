import { expect, test } from '@playwright/test';
import { runPilotToEnd } from './helpers';

test('a tiny pilot on real MNIST runs to completion on WebGPU (SwiftShader)', async ({ page }, info) => {
  await page.goto('/?backend=webgpu&dataset=mnist&trainLimit=320&testLimit=200&epochs=1&seed=3&batchSize=16');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 120_000 });
  const result = await runPilotToEnd(page, 220_000);
  for (const method of ['student-alone', 'rtk']) {
    const acc = result.testAccuracy[method];
    expect(Number.isFinite(acc), `${method} accuracy is finite`).toBe(true);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
  }
  await page.screenshot({ path: info.outputPath('pilot-webgpu.png'), fullPage: true });
});
