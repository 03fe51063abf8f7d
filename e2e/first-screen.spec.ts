import { expect, test, type Page } from '@playwright/test';
import { expectNoSeriousA11y } from './a11y';
import { FAST } from './helpers';

/** Horizontal overflow of the page, in CSS pixels (0 when nothing scrolls sideways). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
/** The deepest elements that reach past the right edge (what a failure names). */
const overflowing = (page: Page) => page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > w + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > w + 0.5))
    .slice(0, 12).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}px`);
});

for (const vp of [{ width: 1440, height: 900 }, { width: 390, height: 844 }, { width: 360, height: 740 }]) {
  test(`first screen at ${vp.width}×${vp.height}: the purpose and the teacher/student size line before any pilot`, async ({ page }, info) => {
    await page.setViewportSize(vp);
    await page.goto(`/?backend=wasm&${FAST}`);
    const purpose = page.getByTestId('purpose');
    const size = page.getByTestId('size-line');
    await expect(purpose).toContainText('small');
    // The teacher's numbers come from its shipped card, the student's from its preset measured in the worker.
    await expect(size).toContainText(/Teacher: ResNet teacher, 99,622 parameters .*99\.40% on MNIST/);
    await expect(size).toContainText(/Student: Plain CNN student, [\d,]+ parameters .*× smaller/);
    await expect(purpose).toBeInViewport({ ratio: 1 });
    await expect(size).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole('button', { name: 'Run pilot' })).toBeInViewport();
    await expect(page.getByRole('region', { name: /Dataset/ }).getByRole('img', { name: /first 32 training images/ })).toBeVisible({ timeout: 60_000 });
    expect(await sideways(page), `no sideways scrolling: ${(await overflowing(page)).join(', ')}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: info.outputPath(`first-${vp.width}.png`) });
    if (vp.width < 960) {
      await page.screenshot({ path: info.outputPath(`first-${vp.width}-full.png`), fullPage: true });
      // The rail collapses to a menu of steps; opening it still reaches every step.
      const rail = page.getByRole('navigation', { name: 'Steps of the pilot' });
      await rail.getByText(/Steps/).first().click();
      await expect(rail.getByRole('link')).toHaveCount(7);
      expect(await sideways(page)).toBeLessThanOrEqual(0);
    }
    await expectNoSeriousA11y(page, info, `first-${vp.width}`);
  });
}

test('a dataset this machine has not prepared is offered as not prepared, with the fix, and Run pilot says why it cannot start', async ({ page }, info) => {
  await page.route('**/datasets/index.json', (route) => route.fulfill({ json: {
    datasets: [{ name: 'mnist', manifest: 'mnist/manifest.json' }, { name: 'cifar10', manifest: 'cifar10/manifest.json' }],
    notReady: [{ name: 'fashion-mnist', why: 'missing: Debian package dataset-fashion-mnist (sudo apt-get install -y dataset-fashion-mnist)' }],
  } }));
  await page.route('**/datasets/fashion-mnist/**', (route) => route.fulfill({ status: 404, body: 'not here' }));
  await page.goto(`/?backend=wasm&${FAST}`);
  const picker = page.getByRole('combobox', { name: /Dataset/ });
  await expect(picker.locator('option[value="fashion-mnist"]')).toHaveText('Fashion-MNIST (not prepared)');
  await expect(picker.locator('option[value="cifar10"]')).toHaveText('CIFAR-10');
  await picker.selectOption('fashion-mnist');
  await expect(page.getByTestId('dataset-missing')).toContainText(/Fashion-MNIST is not prepared on this machine: Debian package dataset-fashion-mnist .*apt-get install -y dataset-fashion-mnist\)\. Fix: run npm run datasets/);
  await expect(page.getByText(/not valid JSON/)).toHaveCount(0);
  const run = page.getByRole('button', { name: 'Run pilot' });
  await expect(run).toBeDisabled();
  await expect(page.getByTestId('pilot-start-hint')).toContainText('Cannot start: Fashion-MNIST is not prepared');
  const rail = page.getByRole('navigation', { name: 'Steps of the pilot' });
  const step1 = rail.getByRole('listitem').first();
  await expect(step1).toHaveClass(/rail-todo/);
  await expect(step1).toContainText('not prepared');
  await page.screenshot({ path: info.outputPath('not-prepared.png') });
  await picker.selectOption('mnist');
  await expect(run).toBeEnabled();
});
