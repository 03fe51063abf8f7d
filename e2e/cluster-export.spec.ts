import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { expect, test } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

const PY = process.env.PYTHON ?? '/usr/bin/python3';

test('leave the browser: quantised variants, a PyTorch job that matches the browser, and its result imported back', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  const result = await runPilotToEnd(page);
  const step = page.getByRole('region', { name: /Export and share/ });

  // float32 / float16 / int8, each scored after quantisation; float32 is the run's own accuracy.
  await step.getByRole('button', { name: 'Measure float16 and int8 variants' }).click();
  const table = step.getByTestId('deploy-variants');
  await expect(table.locator('tbody tr')).toHaveCount(3, { timeout: 120_000 });
  expect(Number(await table.getByTestId('variant-float32').getAttribute('data-accuracy'))).toBe(result.testAccuracy.rtk);
  const int8 = Number(await table.getByTestId('variant-int8').getAttribute('data-accuracy'));
  expect(Math.abs(int8 - result.testAccuracy.rtk)).toBeLessThan(0.03);

  // Export for a cluster: a zip with the job; PyTorch reproduces golden.json, then trains a few steps.
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), step.getByRole('button', { name: 'Export for a cluster' }).click()]);
  expect(dl.suggestedFilename()).toMatch(/^rtk-pytorch-job-.*\.zip$/);
  const files = unzipSync(new Uint8Array(readFileSync(await dl.path())));
  const root = info.outputPath('zip');
  for (const [name, bytes] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), bytes);
  }
  const job = path.join(root, 'rtk-pytorch-job');
  const config = JSON.parse(readFileSync(path.join(job, 'config.json'), 'utf8'));
  expect(config.presets['full-run'].epochs).toBe(240);
  expect(config.seed).toBe(3);
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const parity = JSON.parse(execFileSync(PY, ['test_parity.py', '--json'], { cwd: job, env, encoding: 'utf8' }).trim().split('\n').pop()!);
  expect(parity.parityMaxAbsDiff).toBeLessThanOrEqual(1e-4);
  execFileSync(PY, ['train.py', '--config', 'config.json', '--data-root', path.resolve('public/datasets'), '--max-steps', '10', '--out', 'runs/e2e'], { cwd: job, env, stdio: 'ignore' });
  const cardPath = path.join(job, 'runs/e2e/distillation-card.json');
  const card = JSON.parse(readFileSync(cardPath, 'utf8'));

  // The student the job wrote (TF.js files written by Python) loads in the studio's TF.js and scores what the job reported.
  const inf = path.join(job, 'runs/e2e/inference');
  await step.getByLabel('Check an exported model (model.json and weights.bin)').setInputFiles([path.join(inf, 'model.json'), path.join(inf, 'weights.bin')]);
  const check = step.getByTestId('model-check');
  await expect(check).toHaveAttribute('data-accuracy', /\d/, { timeout: 120_000 });
  expect(Math.abs(Number(await check.getAttribute('data-accuracy')) - card.deploy.tfjs[0].testAccuracy)).toBeLessThanOrEqual(0.001);

  // Import a finished job: it joins the pilot card and the key explorer, labelled with where it ran.
  const cardStep = page.getByRole('region', { name: /Pilot card/ });
  await cardStep.getByLabel('Import a finished job (its distillation-card.json)').setInputFiles(cardPath);
  await expect(cardStep.getByTestId('import-job-note')).toContainText('PyTorch job · 1 process · gloo · cpu');
  const row = cardStep.getByTestId(`card-job:${card.run.runId}`);
  await expect(row).toContainText('PyTorch job · 1 process');
  await expect(row).toContainText(`${(card.run.testAccuracy * 100).toFixed(2)}`);
  await expect(page.getByTestId('explorer-origin')).toContainText('PyTorch job · 1 process');
  await cardStep.screenshot({ path: info.outputPath('pilot-card-with-job.png') });

  // Bad input: a browser card is refused by name, and the imported run stays.
  const bad = info.outputPath('browser-card.json');
  writeFileSync(bad, JSON.stringify({ kind: 'rtk-distillation-card', ranOn: { where: 'browser', label: 'this browser (wasm)' } }));
  await cardStep.getByLabel('Import a finished job (its distillation-card.json)').setInputFiles(bad);
  await expect(cardStep.getByTestId('import-job-note')).toContainText('browser-card.json: this card is from a browser run');
  await expect(row).toBeVisible();
});
