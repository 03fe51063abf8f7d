import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

/**
 * The served page's Content-Security-Policy runs no eval: no 'unsafe-eval' (only
 * 'wasm-unsafe-eval', which compiling WebAssembly needs), and an ONNX teacher still imports under
 * it (its graph is read with static protobuf code, src/ml/onnx/generated) with no CSP violation
 * reported.
 */
const FIX = path.resolve(fileURLToPath(new URL('../fixtures/onnx', import.meta.url)));

test('the served CSP has no unsafe-eval, and an ONNX teacher imports under it', async ({ page }) => {
  test.setTimeout(600_000);
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy|unsafe-eval|EvalError/i.test(m.text())) violations.push(m.text()); });
  page.on('pageerror', (e) => { if (/Content Security Policy|unsafe-eval|EvalError/i.test(e.message)) violations.push(e.message); });
  const response = await page.goto('/?backend=wasm&dataset=fashion-mnist&trainLimit=500&testLimit=200');
  const csp = response?.headers()['content-security-policy'] ?? '';
  expect(csp).toMatch(/script-src [^;]*'wasm-unsafe-eval'/);
  expect(csp).not.toMatch(/'unsafe-eval'/);
  // (Not checked with page.evaluate(() => new Function(…)): DevTools' evaluation is exempt from the CSP.)

  await page.getByTestId('own-teacher-files').setInputFiles(path.join(FIX, 'fashion-resnet.onnx'));
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 400_000 });
  await expect(page.getByTestId('own-teacher-card')).toContainText('ONNX model');
  expect(await page.getByTestId('teacher-tap').count()).toBeGreaterThanOrEqual(10);
  await expect(page.getByTestId('use-own-teacher')).toBeChecked();
  expect(violations).toEqual([]);
});
