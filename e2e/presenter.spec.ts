import { expect, test } from '@playwright/test';
import { FAST } from './helpers';

test('presenter mode hides the controls and enlarges the type', async ({ page }, info) => {
  await page.goto(`/?backend=wasm&${FAST}`);
  await expect(page.getByRole('button', { name: 'Run pilot' })).toBeVisible();
  const normalSize = await page.locator('main').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));

  await page.goto(`/?backend=wasm&${FAST}&presenter=1`);
  await expect(page.getByRole('heading', { name: /Dataset/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /Pilot card/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run pilot' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Run 3 seeds' })).toBeHidden();
  // No settings or run controls in the numbered steps (the key explorer keeps its k and threshold).
  for (const step of [/Dataset/, /Teacher/, /Student and method/, /^Training/, /Pilot card/, /Export and share/]) {
    const region = page.getByRole('region', { name: step });
    await expect(region).toBeVisible();
    for (const role of ['combobox', 'spinbutton', 'radio', 'slider', 'textbox'] as const) {
      await expect(region.getByRole(role)).toHaveCount(0);
    }
  }
  const presenterSize = await page.locator('main').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(presenterSize).toBeGreaterThan(normalSize * 1.2);
  // The configuration in the address is kept, and the view can be left.
  expect(new URL(page.url()).searchParams.get('trainLimit')).toBe('3000');
  await expect(page.getByRole('link', { name: 'Leave presenter view' })).toBeVisible();
  await page.screenshot({ path: info.outputPath('presenter.png'), fullPage: true });
});
