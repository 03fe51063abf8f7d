import { expect, test } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

/** The pilot engineer's journey through the numbered steps, ending on the pilot card. */
test('pilot journey: dataset, teacher, student and method, training, pilot card', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  const shot = (name: string) => page.screenshot({ path: info.outputPath(name), fullPage: true });

  // 1 · Dataset: real images on a canvas, class balance and counts.
  const dataset = page.getByRole('region', { name: /Dataset/ });
  await expect(dataset.getByRole('combobox', { name: /Dataset/ })).toHaveValue('mnist');
  await expect(dataset.getByRole('img', { name: /first 32 training images/ })).toBeVisible({ timeout: 60_000 });
  await expect(dataset.getByTestId('dataset-counts')).toContainText('60,000 training images');
  await expect(dataset.getByRole('table', { name: 'Class balance of the training images' }).getByRole('row')).toHaveCount(11);

  // 2 · Teacher card with its accuracy and a latency measured here.
  const teacher = page.getByRole('region', { name: /Teacher/ });
  await expect(teacher.getByTestId('teacher-accuracy')).toHaveText(/%$/, { timeout: 30_000 });
  await expect(teacher.getByText(/ms median/)).toBeVisible({ timeout: 60_000 });

  // 3 · Student and method: costs before training, every RTK option explained.
  const setup = page.getByRole('region', { name: /Student and method/ });
  await expect(setup.getByTestId('student-costs')).toContainText('Parameters');
  await expect(setup.getByRole('radio', { name: /RTK/ })).toBeChecked();
  for (const name of ['Feature-loss weight β', 'Attention width d', 'Importance', 'k (top-k)', 'Threshold rule', 'Granularity', 'Warm-up epochs']) {
    await expect(setup.getByLabel(name, { exact: true })).toBeVisible();
  }
  await setup.getByRole('button', { name: 'Explain Student and method' }).click();
  await expect(setup.getByRole('note')).toContainText('size dial');
  await setup.screenshot({ path: info.outputPath('setup.png') });
  await dataset.screenshot({ path: info.outputPath('dataset.png') });
  await shot('page-before-training.png');

  // 4 · Training: the pilot runs both methods; curves and the backend badge are shown.
  const result = await runPilotToEnd(page);
  // Model quality is pilot-wasm.spec.ts's concern (and depends on the shipped teacher); here:
  // the student alone learns well above chance (10%), and the distilled run gives a real number.
  expect(result.testAccuracy['student-alone']).toBeGreaterThan(0.25);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0);
  expect(result.testAccuracy.rtk).toBeLessThanOrEqual(1);
  const training = page.getByRole('region', { name: /Training/ });
  await expect(training.getByTestId('backend-name')).toHaveText('wasm');
  await expect(training.getByRole('img', { name: /^Loss: .*Student alone.*RTK/ })).toBeVisible();
  await expect(training.getByRole('img', { name: /^Accuracy: / })).toBeVisible();
  await training.getByText('Under the hood').click();
  await expect(training.getByRole('table', { name: /Confusion matrix/ })).toBeVisible();
  await training.screenshot({ path: info.outputPath('training.png') });

  // 5 · Pilot card: three rows, single runs labelled, a verdict and a plain sentence.
  const card = page.getByTestId('pilot-card');
  await expect(card.getByRole('row')).toHaveCount(4);
  await expect(page.getByTestId('card-student-alone')).toContainText('single run');
  await expect(page.getByTestId('card-rtk')).toContainText('single run');
  await expect(page.getByTestId('verdict')).toContainText(/single run/);
  await expect(page.getByTestId('summary-sentence')).toContainText(/Against the teacher, the student is [\d.]+× smaller/);
  await page.getByRole('region', { name: /Pilot card/ }).screenshot({ path: info.outputPath('pilot-card.png') });
});
