import { expect, test, type Locator } from '@playwright/test';

/** A longer subset than FAST so the run is still training when we pause it. */
const RUN = 'backend=wasm&dataset=mnist&trainLimit=20000&testLimit=1000&epochs=1&seed=3&batchSize=64&method=rtk&autorun=run';

async function cellValues(explorer: Locator): Promise<string[]> {
  return explorer.getByRole('group', { name: /attention heatmap/i }).locator('[data-value]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-value')!));
}

test('pause and step one batch: the explorer shows each fresh evaluation', async ({ page }, info) => {
  await page.goto(`/?${RUN}`);
  const explorer = page.getByRole('region', { name: /key explorer/i });
  const controls = explorer.getByRole('group', { name: 'Step through training' });
  const pause = controls.getByRole('button', { name: 'Pause' });
  const step = controls.getByRole('button', { name: 'Step one batch' });
  await expect(explorer).toHaveAttribute('data-run-state', /running|failed|stopped|done/, { timeout: 120_000 });
  const state = await explorer.getAttribute('data-run-state');
  if (state !== 'running') throw new Error(`the RTK run is ${state}: ${await page.getByRole('alert').allInnerTexts()}`);
  await expect(pause).toBeEnabled();
  await pause.click();
  await expect(explorer).toHaveAttribute('data-run-state', 'paused');
  const before = Number(await explorer.getAttribute('data-eval-count'));

  await step.click();
  await expect(explorer).toHaveAttribute('data-eval-count', String(before + 1), { timeout: 60_000 });
  await expect(explorer.getByRole('status').filter({ hasText: /keys kept/ })).toBeVisible();
  const first = await cellValues(explorer);
  expect(first.length).toBeGreaterThan(0);
  for (const v of first) expect(Number(v)).toBeGreaterThanOrEqual(0);

  await step.click();
  await expect(explorer).toHaveAttribute('data-eval-count', String(before + 2), { timeout: 60_000 });
  const second = await cellValues(explorer);
  expect(second).toHaveLength(first.length);
  expect(second, 'one more batch of training changes the measured attention').not.toEqual(first);
  await expect(explorer).toHaveAttribute('data-run-state', 'paused');
  await explorer.screenshot({ path: info.outputPath('step-batch.png') });

  await controls.getByRole('button', { name: 'Resume' }).click();
  await expect(explorer).toHaveAttribute('data-run-state', 'running');
});
