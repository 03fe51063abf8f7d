import { expect, test, type Locator } from '@playwright/test';
import { FAST, runPilotToEnd } from './helpers';

/** wasm by default; E2E_BACKEND=cpu checks the explorer while the wasm backend is unavailable. */
const BACKEND = process.env.E2E_BACKEND ?? 'wasm';

interface Counts { said: number; of: number; marked: string[]; bars: string[] }

/** The kept count as announced, the heatmap rows marked kept, and the bars labelled kept. */
async function kept(explorer: Locator): Promise<Counts> {
  const text = await explorer.getByRole('status').filter({ hasText: /keys kept/ }).innerText();
  const m = /(\d+) of (\d+) keys kept/.exec(text);
  if (!m) throw new Error(`no "N of T keys kept" in "${text}"`);
  const heatmap = explorer.getByRole('group', { name: /attention heatmap/i });
  const marked = await heatmap.locator('[data-kept="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.replace(/: kept$/, '')));
  // Kept by the mask: a bar says "kept", or "undecided" when its spread reaches τ.
  const bars = await explorer.getByRole('list', { name: 'Influence per teacher key' }).locator('[role="listitem"][data-kept="true"]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!.replace(/: influence .*$/, '')));
  return { said: Number(m[1]), of: Number(m[2]), marked, bars };
}

function expectConsistent(c: Counts): void {
  expect(c.marked.length, 'heatmap rows marked kept = announced count').toBe(c.said);
  expect(c.bars, 'bars labelled kept are the same keys as the marked rows').toEqual(c.marked);
  expect(c.said).toBeGreaterThanOrEqual(1);
}

test('the key explorer recomputes kept keys live from a real RTK pilot', async ({ page }, info) => {
  test.setTimeout(540_000);
  await page.goto(`/?backend=${BACKEND}&${FAST}`);
  const explorer = page.getByRole('region', { name: /key explorer/i });
  await expect(explorer).toContainText('No attention run yet');
  await runPilotToEnd(page, 400_000);

  const status = explorer.getByRole('status').filter({ hasText: /keys kept/ });
  await expect(status).toBeVisible();
  const atMean = await kept(explorer);
  expectConsistent(atMean);

  // Values on hover and focus.
  const cell = explorer.getByRole('img', { name: /^Teacher key .* → student tap / }).first();
  await cell.hover();
  await expect(explorer.locator('figcaption').filter({ hasText: /attention 0\.\d{3}/ })).toBeVisible();

  // "?" explains in plain words.
  const help = explorer.getByRole('button', { name: 'What do the influence bars show?' });
  await help.click();
  await expect(help).toHaveAttribute('aria-expanded', 'true');
  await expect(explorer.getByRole('note').filter({ hasText: 'threshold' }).first()).toBeVisible();
  await help.click();

  // Fixed threshold at the top of its track (the largest influence): no key passes, the most influential is kept.
  await explorer.getByRole('radio', { name: 'Fixed value' }).check();
  const slider = explorer.getByRole('slider', { name: /threshold value/i });
  const max = Number(await slider.getAttribute('max'));
  const min = Number(await slider.getAttribute('min'));
  await slider.fill(String(max));
  await expect(status).toHaveText(new RegExp(`^1 of ${atMean.of} keys kept`));
  expectConsistent(await kept(explorer));

  // At the bottom (just below the smallest influence) every key passes: a superset of the mean's choice.
  await slider.fill(String(min));
  await expect(status).toHaveText(new RegExp(`^${atMean.of} of ${atMean.of} keys kept`));
  const atMin = await kept(explorer);
  expectConsistent(atMin);
  expect(atMin.said).toBeGreaterThanOrEqual(atMean.said);
  for (const key of atMean.marked) expect(atMin.marked).toContain(key);

  // Keyboard steps on the slider: every input event is one repaint sample.
  await page.evaluate(() => { window.__sliderRepaintMs = []; window.__sliderCommitMs = []; });
  await slider.focus();
  // The arrow keys jump from one key's boundary to the next (5 steps cross 6 keys), so go up and down.
  for (let i = 0; i < 40; i++) await page.keyboard.press(i % 10 < 5 ? 'ArrowRight' : 'ArrowLeft');
  await page.waitForTimeout(100);
  expectConsistent(await kept(explorer));

  // Another k: the slider's track follows the new influences (its top is the largest), and the selection follows.
  const kSelect = explorer.getByRole('combobox', { name: /^k / });
  const options = await kSelect.locator('option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value));
  const otherK = options.find((v) => v !== '1') ?? options[0];
  await kSelect.selectOption('1');
  const maxK1 = await slider.getAttribute('max');
  await explorer.getByRole('radio', { name: /mean influence/i }).check();
  expectConsistent(await kept(explorer));
  await kSelect.selectOption(otherK);
  await expect(slider).not.toHaveAttribute('max', maxK1 ?? '');
  expectConsistent(await kept(explorer));

  // Energy maps of the kept keys (finished run).
  await expect(explorer.getByRole('img', { name: /^teacher .* \(kept\)/ }).first()).toBeVisible({ timeout: 60_000 });
  await expect(explorer.getByRole('img', { name: /^student / }).first()).toBeVisible();

  const samples = await page.evaluate(() => window.__sliderRepaintMs ?? []);
  expect(samples.length).toBeGreaterThanOrEqual(40);
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  const worst = sorted[sorted.length - 1];
  const commits = (await page.evaluate(() => window.__sliderCommitMs ?? [])).sort((a, b) => a - b);
  const commitMedian = commits[Math.floor(commits.length / 2)] ?? NaN;
  const line = `slider input→repaint over ${samples.length} samples: median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms ` +
    `(input→React commit: median ${commitMedian.toFixed(1)} ms, worst ${(commits[commits.length - 1] ?? NaN).toFixed(1)} ms)`;
  console.log(line);
  info.annotations.push({ type: 'repaint', description: line });
  await explorer.screenshot({ path: info.outputPath('key-explorer.png') });
});

declare global {
  interface Window { __sliderRepaintMs?: number[]; __sliderCommitMs?: number[] }
}
