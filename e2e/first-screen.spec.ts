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
