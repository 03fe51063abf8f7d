import { expect, test } from '@playwright/test';
import { runPilotToEnd } from './helpers';

// SwiftShader runs WebGPU on the CPU: an RTK step of 32 images takes ~10 s on the 2-core box,
// so the pilot is tiny (9 steps per run) and the test gets more time than the others.
test('a tiny pilot on real MNIST runs to completion on WebGPU (SwiftShader)', async ({ page }, info) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=webgpu&dataset=mnist&trainLimit=160&testLimit=100&epochs=1&seed=3&batchSize=16');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 120_000 });
  const result = await runPilotToEnd(page, 540_000);
  for (const method of ['student-alone', 'rtk']) {
    const acc = result.testAccuracy[method];
    expect(Number.isFinite(acc), `${method} accuracy is finite`).toBe(true);
    expect(acc).toBeGreaterThanOrEqual(0);
    expect(acc).toBeLessThanOrEqual(1);
  }
  await page.screenshot({ path: info.outputPath('pilot-webgpu.png'), fullPage: true });
});
