import { expect, test, type Page } from '@playwright/test';
import { DEFAULT_CONFIG } from '../src/domain';

const SHARED = '/?backend=wasm&dataset=fashion-mnist&method=kd&student=mobile-s1&width=12&depth=2&alpha=0.5&tau=2.5'
  + '&epochs=3&batchSize=64&lr=0.001&seed=7&trainLimit=3000&testLimit=1000';

async function expectSharedForm(page: Page) {
  await expect(page.getByRole('combobox', { name: /Dataset/ })).toHaveValue('fashion-mnist');
  await expect(page.getByRole('radio', { name: /MobileNet-style student/ })).toBeChecked();
  await expect(page.getByRole('slider', { name: /Width/ })).toHaveValue('12');
  await expect(page.getByRole('slider', { name: /Depth/ })).toHaveValue('2');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue('3');
  await expect(page.getByLabel('Batch size', { exact: true })).toHaveValue('64');
  await expect(page.getByLabel('Learning rate', { exact: true })).toHaveValue('0.001');
  await expect(page.getByLabel('Training images (0 = all)', { exact: true })).toHaveValue('3000');
  await expect(page.getByLabel('Test images (0 = all)', { exact: true })).toHaveValue('1000');
}

test('a shared URL opens with the same configuration, and edits go back into the URL', async ({ page, context }, info) => {
  await page.goto(SHARED);
  await expectSharedForm(page);
  await expect(page.getByRole('radio', { name: /KD \(soft labels\)/ })).toBeChecked();
  await expect(page.getByLabel('KD α', { exact: true })).toHaveValue('0.5');
  await expect(page.getByLabel('KD temperature τ', { exact: true })).toHaveValue('2.5');
  await expect(page.getByLabel('Seed', { exact: true })).toHaveValue('7');

  // Change settings through the form: the address follows.
  await page.getByLabel('Seed', { exact: true }).fill('11');
  await page.getByRole('radio', { name: /RTK/ }).check();
  await page.getByLabel('k (top-k)', { exact: true }).fill('2');
  await page.getByLabel('Threshold rule', { exact: true }).selectOption('value');
  await page.getByLabel('Threshold value', { exact: true }).fill('0.25');
  await page.getByLabel('Granularity', { exact: true }).selectOption('batch');
  await expect.poll(() => new URL(page.url()).searchParams.get('seed')).toBe('11');
  const shared = page.url();
  const q = new URL(shared).searchParams;
  expect(q.get('method')).toBe('rtk');
  expect(q.get('k')).toBe('2');
  expect(q.get('threshold')).toBe('0.25');
  expect(q.get('granularity')).toBe('batch');
  expect(q.get('alpha')).toBe('0.5'); // the KD options are kept, though RTK is now chosen
  await page.screenshot({ path: info.outputPath('shared-source.png'), fullPage: true });

  // Someone else opens the link: the same form values.
  const other = await context.newPage();
  await other.goto(shared);
  await expectSharedForm(other);
  await expect(other.getByLabel('Seed', { exact: true })).toHaveValue('11');
  await expect(other.getByRole('radio', { name: /RTK/ })).toBeChecked();
  await expect(other.getByLabel('k (top-k)', { exact: true })).toHaveValue('2');
  await expect(other.getByLabel('Threshold value', { exact: true })).toHaveValue('0.25');
  await expect(other.getByLabel('Granularity', { exact: true })).toHaveValue('batch');
  await other.getByRole('radio', { name: /KD \(soft labels\)/ }).check();
  await expect(other.getByLabel('KD α', { exact: true })).toHaveValue('0.5');
  await other.screenshot({ path: info.outputPath('shared-opened.png'), fullPage: true });
});

test('bad values in a URL are named, and the defaults are used instead', async ({ page }) => {
  await page.goto('/?backend=wasm&epochs=0&width=999&threshold=high');
  const issues = page.getByTestId('url-issues');
  await expect(issues).toContainText('epochs must be between 1 and 1000, got 0');
  await expect(issues).toContainText('width of Plain CNN student must be between 4 and 32, got 999');
  await expect(issues).toContainText('threshold');
  await expect(page.getByLabel('Epochs', { exact: true })).toHaveValue(String(DEFAULT_CONFIG.epochs));
});
