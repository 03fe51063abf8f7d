import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { descendsFrom, rendererMemory } from '../bench/procMemory.mjs';
import { runPilotToEnd } from './helpers';

/**
 * The model you run today at its own size (issue 26): 400 photos at 224 × 224 (CIFAR-10 test
 * images as JPEG, scripts/photo-fixture/make_photos.py) imported as a zip, and torchvision's
 * MobileNetV2 exported to ONNX (fixtures/onnx/photo-mobilenet-v2.onnx, ImageNet mean/std). The
 * input scaling is detected before anything is scored, the baseline shows its progress and Cancel
 * stops it (the studio stays usable), then it runs to the end on a stated subset. Step 2 and the
 * rail name the teacher; long tap names do not widen the page at 1,280 px; an RTK pilot distils
 * from it, and the renderer's peak memory (its processes' VmHWM) is reported and held to 1 GB.
 */
const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const MODEL = process.env.TEACHER_224 ?? path.join(ROOT, 'fixtures/onnx/photo-mobilenet-v2.onnx');
const META = MODEL.replace(/\.onnx$/, '.json');

/**
 * 400 of the 224 px photos as a zip (made from CIFAR-10 when missing): enough for a stated subset
 * of the test split and a one-epoch pilot; e2e/photos-224.spec.ts imports all 1,200.
 */
const PHOTOS = 400;
function photosZip(): string {
  const made = path.join(os.tmpdir(), `photos224-${PHOTOS}.zip`);
  if (existsSync(made)) return made;
  execFileSync('/usr/bin/python3', ['scripts/photo-fixture/make_photos.py', '--out', made.replace(/\.zip$/, ''), '--count', String(PHOTOS), '--size', '224', '--zip'], { cwd: ROOT, stdio: 'inherit' });
  return made;
}

/** Peak resident memory (VmHWM, bytes) of each Chromium renderer started below this test process. */
function rendererPeaks(): number[] {
  return [...rendererMemory((pid) => descendsFrom(pid, process.pid)).values()].map((m) => m.hwm);
}

test('a 224 px ONNX MobileNetV2 on 224 px photos: scaling detected, baseline with progress, cancel, subset', async ({ page }) => {
  test.setTimeout(900_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  // PILOT_METHOD=kd (no taps) tells the teacher's share of the pilot's memory from the student's.
  await page.goto(`/?backend=wasm&epochs=1&batchSize=32&seed=3&method=${process.env.PILOT_METHOD ?? 'rtk'}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });

  const panel = page.getByTestId('import-panel');
  await panel.getByTestId('import-zip').setInputFiles(photosZip());
  await expect(panel.getByTestId('import-staged')).toContainText(`${PHOTOS} files, 10 class folders`, { timeout: 120_000 });
  await panel.getByLabel('Input size').selectOption('224');
  await panel.getByLabel('Colour').selectOption('rgb');
  // Half for testing: 200 test images, so the stated subset (the first 100) is a real part of them.
  await panel.getByLabel('Test share').fill('0.5');
  await panel.getByRole('button', { name: /^Import [\d,]+ files$/ }).click();
  await expect(panel.getByTestId('import-summary')).toContainText('224×224', { timeout: 300_000 });
  await panel.getByRole('button', { name: 'Use these images' }).click();

  await page.getByTestId('own-teacher-files').setInputFiles(MODEL);
  const progress = page.getByTestId('own-teacher-progress');
  // Detection first, with its count, then the scoring.
  await expect(progress).toContainText(/Detecting the input scaling.*\d+ of \d+ images/, { timeout: 300_000 });
  await expect(page.getByTestId('own-teacher-budget')).toContainText(/a teacher pass stays under 64\.00 MiB: .* per image, so \d+ images? per pass/);
  await expect(progress).toContainText(/Scoring the test images: [\d,]+ of [\d,]+ images/, { timeout: 300_000 });
  const detected = page.getByTestId('own-teacher-detected');
  await expect(detected).toBeVisible();
  if (!process.env.TEACHER_224) await expect(page.locator('#own-preprocess')).toHaveValue('imagenet');

  // Cancel stops the scoring: the card says so and nothing is half-measured.
  await page.getByTestId('own-teacher-cancel').click();
  await expect(page.getByTestId('own-teacher-notice')).toContainText('Cancelled', { timeout: 60_000 });
  await expect(progress).toHaveCount(0);
  await expect(page.getByTestId('own-teacher-accuracy')).toHaveCount(0);

  // The studio still works: choose a stated subset and measure to the end.
  await page.getByTestId('own-teacher-limit').selectOption('100');
  await page.getByTestId('own-teacher-measure').click();
  await expect(progress).toContainText(/Scoring the test images: [\d,]+ of 100 images/, { timeout: 120_000 });
  await expect(page.getByTestId('own-teacher-accuracy')).toHaveText(/%$/, { timeout: 300_000 });
  await expect(page.getByTestId('own-teacher-scored')).toContainText(/the first 100 of [\d,]+ test images/);
  const shownText = (await page.getByTestId('own-teacher-accuracy').innerText()).trim();
  const shown = Number(shownText.replace('%', '')) / 100;

  // Step 2 and the rail name the teacher.
  const name = path.basename(MODEL, '.onnx');
  await expect(page.locator('body')).not.toContainText('no teacher for this dataset');
  // The rail carries each step's one-line summary (step 2's line, stepStatus.ts).
  await expect(page.getByRole('navigation', { name: 'Steps of the pilot' })).toContainText(`${name} (your own, ONNX model), test accuracy`);

  // Long ONNX tap names wrap: the page is no wider than the window.
  const widths = await page.evaluate(() => ({ page: document.scrollingElement!.scrollWidth, window: window.innerWidth }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);

  const baselinePeaks = rendererPeaks();

  // Import, detection and the measured baseline keep the renderer under 1 GB.
  expect(baselinePeaks.length).toBeGreaterThan(0);
  expect(Math.max(...baselinePeaks)).toBeLessThanOrEqual(1024 * 2 ** 20);

  // A pilot distils from it (RTK on its default taps, one epoch; the photos bring the photo student
  // and its batch, 8, src/domain/trainBudget.ts): the teacher's forward of each training batch runs
  // in parts under the pass budget. Its peak is reported, not held: bench:photo measured a VmHWM of
  // 1,038–1,069 MiB on 1,000 photos, 926 MiB of it private (1.38 GB sampled before the fused wasm
  // batch norm; issue 26's 1 GiB target for a pilot is still open). It must finish.
  const pilot = await runPilotToEnd(page, 600_000);
  const peaks = rendererPeaks();
  const figures = {
    model: name, shown, scoredImages: 100, widths, pilot,
    rendererPeakMB: { afterBaseline: baselinePeaks.map((b) => Math.round(b / 2 ** 20)), afterPilot: peaks.map((b) => Math.round(b / 2 ** 20)) },
  };
  console.log(`teacher-224: ${JSON.stringify(figures)}`);
  test.info().annotations.push({ type: 'renderer peak after the pilot (MB)', description: String(Math.round(Math.max(...peaks) / 2 ** 20)) });
  expect(pilot.testAccuracy[process.env.PILOT_METHOD ?? 'rtk']).toBeGreaterThan(0);
  // A second visit, the reload right after the pilot: the imported teacher stays with the tab that
  // imported it, but the runs come back with the card of the teacher they distilled from
  // (RunRecord.teacherCard), so the pilot card still names it, with its accuracy, beside both runs.
  await page.reload();
  const card = page.getByTestId('pilot-card');
  await expect(card).toContainText(`Teacher (yours: ${name})`, { timeout: 60_000 });
  await expect(card.locator('tr', { hasText: 'Teacher (yours' })).toContainText(shownText);
  await expect(card).toContainText(/Distilled student \(/);
  await expect(card).not.toContainText('not run yet');
  // Step 2 (rail) names the teacher that taught those runs and says to import it again.
  await expect(page.locator('.rail-summary', { hasText: 'your own teacher' })).toContainText(`${name} (ONNX model) taught the runs here: import its files again`);

  if (existsSync(META) && !process.env.TEACHER_224) {
    // PyTorch's accuracy on all 1,200 photos; the studio scored 100 of the test split (other
    // images, a browser's JPEG decoder): the same within 12 points (≈ 3 standard errors).
    const meta = JSON.parse(readFileSync(META, 'utf8')) as { photoAccuracy: number };
    console.log(`teacher-224: PyTorch photoAccuracy ${meta.photoAccuracy}, studio ${shown} on 100 test images`);
    expect(Math.abs(shown - meta.photoAccuracy)).toBeLessThanOrEqual(0.12);
  }
});
