import { readFileSync } from 'node:fs';
import { expect, test, type Download } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

test('the exported student loads back with the same test accuracy, with a card and a report', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  const result = await runPilotToEnd(page);
  const expected = result.testAccuracy.rtk;
  const step = page.getByRole('region', { name: /Export and share/ });

  // Model: two files, model.json naming weights.bin.
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await step.getByRole('button', { name: 'Download student model' }).click();
  await expect.poll(() => downloads.length, { timeout: 60_000 }).toBe(2);
  const paths: Record<string, string> = {};
  for (const d of downloads) {
    paths[d.suggestedFilename()] = info.outputPath(d.suggestedFilename());
    await d.saveAs(paths[d.suggestedFilename()]);
  }
  // Named for the run (dataset, method, seed): two pilots never clash in a Downloads folder.
  const mj = 'student-mnist-rtk-seed3.json';
  const wb = 'student-mnist-rtk-seed3.weights.bin';
  expect(Object.keys(paths).sort()).toEqual([mj, wb]);
  const modelJson = JSON.parse(readFileSync(paths[mj], 'utf8')) as {
    weightsManifest: { paths: string[] }[]; modelTopology: { config: { output_layers: unknown[] } };
    userDefinedMetadata: { rtkStudioInference: { output: string; preprocessing: { scale: string } } };
  };
  expect(modelJson.weightsManifest[0].paths).toEqual([wb]);
  // An inference model: one output (the logits), no taps, its preprocessing in the metadata.
  expect(modelJson.modelTopology.config.output_layers).toHaveLength(1);
  expect(modelJson.userDefinedMetadata.rtkStudioInference).toMatchObject({ output: 'logits', preprocessing: { scale: 'pixel / 255' } });

  // Load the files back in the page (tf.loadLayersModel in the worker): the same accuracy, exactly.
  await step.getByLabel('Check an exported model (model.json and weights.bin)').setInputFiles([paths[mj], paths[wb]]);
  const check = step.getByTestId('model-check');
  await expect(check).toHaveAttribute('data-accuracy', /\d/, { timeout: 120_000 });
  expect(Number(await check.getAttribute('data-accuracy'))).toBe(expected);
  await expect(check).toContainText('the same as the run');

  // Distillation card and report.
  const [cardDl] = await Promise.all([page.waitForEvent('download'), step.getByRole('button', { name: 'Download distillation card' }).click()]);
  const card = JSON.parse(readFileSync(await cardDl.path(), 'utf8')) as Record<string, unknown> & { run: { testAccuracy: number; seed: number }; keptKeys: string[]; deploy: { tfjs: unknown[] | null } };
  expect(card.method).toBe('rtk');
  expect(card.run.testAccuracy).toBe(expected);
  expect(card.run.seed).toBe(3);
  expect(Array.isArray(card.keptKeys)).toBe(true);
  expect(card.backend).toMatchObject({ backend: 'wasm' });
  expect(cardDl.suggestedFilename()).toBe('distillation-card-mnist-rtk-seed3.json');
  expect(card.deploy).toMatchObject({ output: 'logits', preprocessing: { scale: 'pixel / 255', layout: 'NHWC' }, files: { modelJson: mj, weights: wb } });
  expect(card.deploy.tfjs, 'deploy.tfjs is filled in').toEqual([expect.objectContaining({ weights: 'float32', testAccuracy: expected })]);
  const [reportDl] = await Promise.all([page.waitForEvent('download'), step.getByRole('button', { name: 'Download report (Markdown)' }).click()]);
  const report = readFileSync(await reportDl.path(), 'utf8');
  expect(report).toContain('# Distillation pilot: MNIST digits');
  expect(reportDl.suggestedFilename()).toBe('pilot-report-mnist-rtk-seed3.md');
  expect(report).toContain('single run');
  expect(report).toContain('99,622'); // the teacher's parameters, formatted
  expect(report).toContain('1 epoch,');
  expect(report).toContain('## What RTK does');
  expect(report).toMatch(/Seeds: 3 /);
  expect(report).toMatch(/both students were scored on the first 1,000 of the test images/);
  expect(report).toMatch(/\?dataset=mnist&.*seed=3/);
  expect(report).not.toMatch(/127\.0\.0\.1|localhost/);
  await step.screenshot({ path: info.outputPath('export.png') });
});
