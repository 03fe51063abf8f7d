import { expect, test } from '@playwright/test';

/** Three epochs on a small subset, so a checkpoint exists before the reload. */
const RESUMABLE = '/?backend=wasm&dataset=mnist&trainLimit=6000&testLimit=1000&epochs=3&seed=3&batchSize=64';

test('a reload during training offers to resume from the saved epoch, and the resumed pilot finishes', async ({ page }, info) => {
  test.setTimeout(480_000); // about 2.5 minutes on 2 cores: student alone 3 epochs (interrupted), RTK 3 epochs, student alone again
  await page.goto(RESUMABLE);
  await page.getByRole('button', { name: 'Run pilot' }).click();
  const status = page.getByTestId('run-status');
  // Epoch 2 under way: epoch 1's checkpoint was sent and autosaved. Pause so the reload is not racing the run.
  await expect(status).toContainText(/epoch [23]\/3/, { timeout: 120_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(status).toContainText('Paused');
  // Paused in epoch N: the last checkpoint holds the N − 1 finished epochs.
  const saved = Number(/epoch (\d)\/3/.exec((await status.textContent()) ?? '')![1]) - 1;
  expect(saved).toBeGreaterThanOrEqual(1);
  await page.waitForTimeout(2_000); // the autosave runs at most a second after a change
  await page.screenshot({ path: info.outputPath('before-reload.png'), fullPage: true });

  await page.reload();
  const offer = page.getByRole('region', { name: 'Interrupted run' });
  await expect(offer).toContainText(`interrupted by a reload after epoch ${saved} of 3`);
  const resume = offer.getByRole('button', { name: `Resume from epoch ${saved}` });
  await expect(resume).toBeVisible();
  // The interrupted run is listed, with what it had done so far.
  await expect(page.getByTestId('run-student-alone')).toContainText('saved');
  await page.screenshot({ path: info.outputPath('resume-offer.png'), fullPage: true });

  await resume.click();
  await expect(offer).toBeHidden();
  // The run goes on from the saved epoch, not from the start.
  await expect(page.getByTestId('run-status')).toContainText(new RegExp(`epoch ${saved + 1}/3`), { timeout: 120_000 });
  const pilot = page.getByTestId('pilot-status');
  await expect(pilot).toHaveAttribute('data-pilot', /done|failed/, { timeout: 220_000 });
  expect(await pilot.getAttribute('data-pilot'), await page.locator('main').innerText()).toBe('done');
  const result = JSON.parse((await pilot.getAttribute('data-result')) ?? '{}') as { testAccuracy: Record<string, number> };
  // The resumed student alone learnt well above chance (10%); the rest of the plan (RTK) ran after it.
  expect(result.testAccuracy['student-alone']).toBeGreaterThan(0.25);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0);
  // The resumed run kept its id and its curve from before the reload.
  await expect(page.getByTestId('acc-student-alone')).toHaveText(/%$/);
  await expect(page.getByRole('img', { name: /^Loss: / })).toBeVisible();
  await page.screenshot({ path: info.outputPath('resumed-done.png'), fullPage: true });

  // Nothing was lost: the checkpoint (weights and Adam's state, through IndexedDB) lets the
  // resumed student end exactly where the same run ends without a reload.
  const fresh = await page.context().newPage();
  await fresh.goto(`${RESUMABLE}&method=student-alone`);
  await fresh.getByRole('button', { name: 'Run pilot' }).click();
  const freshPilot = fresh.getByTestId('pilot-status');
  await expect(freshPilot).toHaveAttribute('data-pilot', 'done', { timeout: 120_000 });
  const uninterrupted = JSON.parse((await freshPilot.getAttribute('data-result')) ?? '{}') as { testAccuracy: Record<string, number> };
  expect(result.testAccuracy['student-alone']).toBe(uninterrupted.testAccuracy['student-alone']);
  await fresh.close();
});

test('without IndexedDB the studio says autosave is off and keeps working', async ({ page }) => {
  await page.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
  await page.goto('/?backend=wasm&dataset=mnist&trainLimit=1000&testLimit=500&epochs=1&seed=3&batchSize=64&method=student-alone');
  await expect(page.getByTestId('storage-notice')).toContainText(/Autosave is off: IndexedDB is not available.*keeps working/);
  await page.getByRole('button', { name: 'Run pilot' }).click();
  await expect(page.getByTestId('pilot-status')).toHaveAttribute('data-pilot', 'done', { timeout: 120_000 });
  await expect(page.getByTestId('acc-student-alone')).toHaveText(/%$/);
});
