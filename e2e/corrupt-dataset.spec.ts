import { expect, test } from '@playwright/test';
import { FAST } from './helpers';

test('a corrupted dataset file is refused with an error naming the file', async ({ page }) => {
  // Serve the real label file with one byte flipped, as a damaged download would be.
  await page.route('**/datasets/mnist/test-labels.u8', async (route) => {
    const response = await route.fetch();
    const body = Buffer.from(await response.body());
    body[17] = (body[17] + 1) % 10;
    await route.fulfill({ response, body });
  });
  await page.goto(`/?backend=wasm&${FAST}`);
  await page.getByRole('button', { name: 'Run pilot' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'test-labels.u8' });
  await expect(alert).toContainText(/checksum/i, { timeout: 120_000 });
  await expect(alert).toContainText('npm run datasets');
});
