import { expect, test, type Locator, type Page } from '@playwright/test';
import { expectNoSeriousA11y } from './a11y';
import { FAST, runPilotToEnd } from './helpers';

interface Kept { network: string[]; links: string[]; bars: string[]; heatmap: string[]; table: string[] }

/** The kept keys as the network view (keys and strong links), the bars, the heatmap and the table each show them. */
async function keptEverywhere(explorer: Locator): Promise<Kept> {
  const view = explorer.getByRole('group', { name: /^Network view/ });
  const network = await view.locator('g[data-key][data-kept="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')!));
  const names = await view.locator('g[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')!));
  const strong = await view.locator('path.nv-link[data-kept="true"]').evaluateAll((els) => [...new Set(els.map((e) => Number(e.getAttribute('data-key'))))]);
  const bars = await explorer.getByRole('list', { name: 'Influence per teacher key' }).locator('[role="listitem"][data-kept="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.replace(/: influence .*$/, '')));
  const heatmap = await explorer.getByRole('group', { name: /attention heatmap/i }).locator('[data-kept="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.replace(/: kept$/, '')));
  const table = await explorer.getByRole('table', { name: /^Teacher keys: shape, cost, influence/ }).locator('tbody tr[data-kept="true"] th')
    .evaluateAll((els) => els.map((e) => e.textContent!.trim()));
  return { network, links: strong.sort((a, b) => a - b).map((n) => names[n]), bars, heatmap, table };
}

function expectSameKept(k: Kept): string[] {
  expect(k.network.length).toBeGreaterThanOrEqual(1);
  expect(k.links, 'strong links come from the kept keys').toEqual(k.network);
  expect(k.bars, 'bars labelled kept').toEqual(k.network);
  expect(k.heatmap, 'heatmap rows marked kept').toEqual(k.network);
  expect(k.table, 'table rows marked kept').toEqual(k.network);
  return k.network;
}

/** A picture of one element, centred in the viewport so the sticky pilot bar does not cover it. */
async function elementShot(el: Locator, path: string): Promise<void> {
  await el.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  const box = (await el.boundingBox())!;
  await el.page().screenshot({ path, clip: box });
}

const shot = (page: Page | Locator, info: { outputPath(n: string): string }, name: string, fullPage = false) =>
  ('goto' in page ? page.screenshot({ path: info.outputPath(name), fullPage }) : page.screenshot({ path: info.outputPath(name) }));

test('the story: network view after a real RTK pilot, live with the threshold, timeline scrubbing, presenter mode, no serious a11y issues', async ({ page }, info) => {
  test.setTimeout(540_000);
  await page.goto(`/?backend=wasm&${FAST}`);
  // The main action is in view without scrolling, and the steps are a rail.
  await expect(page.getByRole('button', { name: 'Run pilot' })).toBeInViewport();
  await expect(page.getByRole('navigation', { name: 'Steps of the pilot' }).getByRole('link')).toHaveCount(7);
  await expect(page.getByRole('region', { name: /Dataset/ }).getByRole('img', { name: /first 32 training images/ })).toBeVisible({ timeout: 60_000 });
  await shot(page, info, 'start.png');
  await expectNoSeriousA11y(page, info, 'start-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'start-dark.png');
  await expectNoSeriousA11y(page, info, 'start-dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await runPilotToEnd(page, 400_000);
  const explorer = page.getByRole('region', { name: /key explorer/i });
  const view = explorer.getByRole('group', { name: /^Network view/ });
  await expect(view).toBeVisible();
  // After the pilot the page leads with the network view; the setup steps are one line each, and open again.
  await page.evaluate(() => window.scrollTo(0, 0));
  await expect(view).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Run pilot' })).toBeInViewport();
  const dataset = page.getByRole('region', { name: /Dataset/ });
  await expect(dataset.getByRole('combobox', { name: /Dataset/ })).toBeHidden();
  await expect(dataset).toContainText('MNIST digits: 28×28 greyscale');
  await dataset.getByRole('button', { name: 'Open Dataset' }).click();
  await expect(dataset.getByRole('combobox', { name: /Dataset/ })).toBeVisible();
  await dataset.getByRole('button', { name: 'Fold Dataset' }).click();
  await shot(page, info, 'after-pilot.png');

  const atMean = expectSameKept(await keptEverywhere(explorer));
  // Blocks carry their feature-map shapes, and the key details follow hover and focus.
  await expect(view.locator('g[data-key="stage1.block1"]')).toHaveAttribute('aria-label', /14×14×12/);
  const details = explorer.getByRole('complementary', { name: 'Key details' });
  await view.locator('g[data-key="stage1.block2"]').hover();
  await expect(details).toHaveAttribute('data-key', 'stage1.block2');
  await view.locator('g[data-key="stage3.block1"]').focus();
  await expect(details).toHaveAttribute('data-key', 'stage3.block1');
  await expect(details.getByRole('img', { name: /energy map of stage3\.block1/ })).toBeVisible({ timeout: 60_000 });

  // The threshold moves the strong links, the bars and the heatmap together.
  await explorer.getByRole('radio', { name: 'Fixed value' }).check();
  const slider = explorer.getByRole('slider', { name: /threshold value/i });
  await slider.fill(await slider.getAttribute('max') ?? '0.5');
  const atMax = expectSameKept(await keptEverywhere(explorer));
  expect(atMax).toHaveLength(1);
  await slider.fill(await slider.getAttribute('min') ?? '0.33');
  const atMin = expectSameKept(await keptEverywhere(explorer));
  expect(atMin.length).toBeGreaterThan(1);
  expect(atMin).not.toEqual(atMax);
  await explorer.getByRole('radio', { name: /mean influence/i }).check();
  expect(expectSameKept(await keptEverywhere(explorer))).toEqual(atMean);
  await elementShot(view, info.outputPath('network-view.png'));

  // The timeline: one column per evaluation; scrubbing shows that evaluation everywhere.
  const scrub = explorer.getByRole('slider', { name: 'Evaluation shown' });
  const evals = Number(await scrub.getAttribute('max'));
  expect(evals).toBeGreaterThanOrEqual(3);
  const latestCells = await explorer.getByRole('group', { name: /attention heatmap/i }).locator('[data-value]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
  await scrub.fill('1');
  await expect(explorer).toHaveAttribute('data-eval-shown', '1');
  await expect(explorer.getByTestId('timeline-shown')).toContainText(`Evaluation 1 of ${evals}`);
  const first = expectSameKept(await keptEverywhere(explorer));
  const column = await explorer.getByRole('img', { name: /^Kept keys at each of/ }).locator('rect[data-e="0"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-kept')));
  const names = await view.locator('g[data-key]').evaluateAll((els) => els.map((e) => e.getAttribute('data-key')!));
  expect(names.filter((_, n) => column[n] === 'true'), 'the network view shows the timeline column scrubbed to').toEqual(first);
  const firstCells = await explorer.getByRole('group', { name: /attention heatmap/i }).locator('[data-value]').evaluateAll((els) => els.map((e) => e.getAttribute('data-value')));
  expect(firstCells, 'the heatmap shows the first evaluation, not the last').not.toEqual(latestCells);
  await elementShot(explorer.locator('.tl-panel'), info.outputPath('timeline.png'));
  await explorer.getByRole('button', { name: 'Follow the latest' }).click();
  await expect(explorer).toHaveAttribute('data-eval-shown', String(evals));

  await expectNoSeriousA11y(page, info, 'explorer-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await elementShot(view, info.outputPath('network-view-dark.png'));
  await expectNoSeriousA11y(page, info, 'explorer-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await shot(page, info, 'after-pilot-full.png', true);

  // Deep links still land: #card opens on the pilot card.
  await page.goto(`/?backend=wasm&${FAST}#card`);
  await expect(page.getByRole('region', { name: /Pilot card/ })).toBeInViewport({ timeout: 30_000 });

  // Presenter mode: the network view fills the screen, with the threshold, k and the verdict in large type.
  await page.goto(`/?backend=wasm&${FAST}&presenter=1`);
  const pView = page.getByRole('region', { name: /key explorer/i }).getByRole('group', { name: /^Network view/ });
  await expect(pView).toBeInViewport({ timeout: 60_000 });
  const box = (await pView.boundingBox())!;
  const vp = page.viewportSize()!;
  expect(box.width).toBeGreaterThan(vp.width * 0.55);
  await expect(page.getByRole('slider', { name: /threshold value/i })).toBeVisible();
  await expect(page.getByRole('combobox', { name: /^k / })).toBeVisible();
  await expect(page.getByTestId('story-verdict')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run pilot' })).toBeHidden();
  const size = await page.getByTestId('story-verdict').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(size).toBeGreaterThanOrEqual(24);
  await shot(page, info, 'presenter.png');
  await expectNoSeriousA11y(page, info, 'presenter-light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, info, 'presenter-dark.png');
  await expectNoSeriousA11y(page, info, 'presenter-dark');
});

test('step one batch changes the network view, and the change animates', async ({ page }, info) => {
  // A longer subset than FAST so the run is still training when it is paused.
  await page.goto('/?backend=wasm&dataset=mnist&trainLimit=20000&testLimit=1000&epochs=1&seed=3&batchSize=64&method=rtk&autorun=run');
  const explorer = page.getByRole('region', { name: /key explorer/i });
  await expect(explorer).toHaveAttribute('data-run-state', /running|failed|stopped|done/, { timeout: 120_000 });
  expect(await explorer.getAttribute('data-run-state')).toBe('running');
  // The pilot bar's controls drive the same run.
  const bar = page.getByRole('region', { name: 'Pilot run' });
  await bar.getByRole('button', { name: 'Pause' }).click();
  await expect(explorer).toHaveAttribute('data-run-state', 'paused');
  const view = explorer.getByRole('group', { name: /^Network view/ });
  const widths = () => view.locator('path.nv-link').evaluateAll((els) => els.map((e) => (e as SVGPathElement).style.strokeWidth));
  const before = Number(await explorer.getAttribute('data-eval-count'));
  await bar.getByRole('button', { name: 'Step one batch' }).click();
  await expect(explorer).toHaveAttribute('data-eval-count', String(before + 1), { timeout: 60_000 });
  await expect(view).toBeVisible();
  const first = await widths();
  const panel = explorer.locator('#network');
  const animated = Number(await panel.getAttribute('data-animations'));
  await bar.getByRole('button', { name: 'Step one batch' }).click();
  await expect(explorer).toHaveAttribute('data-eval-count', String(before + 2), { timeout: 60_000 });
  // The new attention redraws the links, with transitions on while it settles.
  await expect(panel).toHaveAttribute('data-animations', String(animated + 1));
  const second = await widths();
  expect(second).toHaveLength(first.length);
  expect(second, 'one more batch changes the attention the links are drawn from').not.toEqual(first);
  await elementShot(view, info.outputPath('network-after-step.png'));
  await bar.getByRole('button', { name: 'Stop' }).click();
});
