import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

/**
 * An ONNX teacher when the studio trains on WebGPU (Chromium's SwiftShader adapter here): the
 * teacher worker tries onnxruntime-web's WebGPU execution, keeps it only after its self-test
 * against wasm, and the baseline still equals PyTorch's accuracy within 0.1 points.
 */
const FIX = path.resolve(fileURLToPath(new URL('../fixtures/onnx', import.meta.url)));
const fixture = JSON.parse(readFileSync(path.join(FIX, 'fixture.json'), 'utf8')) as { testAccuracy: number };

test('the ONNX fixture on WebGPU: self-tested execution, PyTorch\'s accuracy', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=webgpu&dataset=fashion-mnist&method=kd');
  await expect(page.getByTestId('backend-name')).toHaveText('webgpu', { timeout: 120_000 });
  await page.getByTestId('own-teacher-files').setInputFiles(path.join(FIX, 'fashion-resnet.onnx'));
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 540_000 });
  await expect(page.getByTestId('own-teacher-runs-on')).toContainText('onnxruntime-web (webgpu)');
  const shown = Number((await page.getByTestId('own-teacher-accuracy').innerText()).replace('%', '')) / 100;
  expect(Math.abs(shown - fixture.testAccuracy)).toBeLessThanOrEqual(0.001);
});
