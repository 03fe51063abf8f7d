import path from 'node:path';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
const root = '/work/main';
const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 0 } });
const { port } = server.httpServer.address();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-precise-memory-info'] });
const page = await browser.newPage({ serviceWorkers: 'block' });
await page.goto(`http://127.0.0.1:${port}/?backend=wasm&seed=1&method=${process.env.METHOD ?? 'rtk'}&batchSize=${process.env.B ?? 16}`);
await page.getByTestId('backend-name').waitFor({ timeout: 120000 });
const panel = page.getByTestId('import-panel');
await panel.getByTestId('import-folder').setInputFiles(process.env.DIR ?? '/tmp/ph300');
await panel.getByLabel('Input size').selectOption('224');
await panel.getByRole('button', { name: /^Import [\d,]+ files/ }).click();
await panel.getByTestId('import-summary').waitFor({ timeout: 300000 });
await panel.getByRole('button', { name: 'Use these images' }).click();
await page.getByTestId('own-teacher-files').setInputFiles(path.join(root, 'fixtures/onnx/photo-mobilenet-v2.onnx'));
await page.getByTestId('own-teacher-accuracy').waitFor({ timeout: 900000 });
const sample = async (label) => {
  const m = await page.evaluate(async () => {
    const r = await performance.measureUserAgentSpecificMemory();
    return { bytes: r.bytes, parts: r.breakdown.filter((b) => b.bytes > 1e6).map((b) => ({ mb: Math.round(b.bytes / 1e6), types: b.types.join(','), url: (b.attribution[0]?.url ?? '').split('/').pop(), scope: b.attribution[0]?.scope })) };
  });
  console.log(label, Math.round(m.bytes / 1e6), 'MB', JSON.stringify(m.parts));
};
await sample('after baseline');
await page.getByRole('button', { name: 'Run pilot' }).click();
for (let i = 0; i < 40; i++) {
  await new Promise((r) => setTimeout(r, 8000));
  const st = await page.getByTestId('pilot-status').getAttribute('data-pilot');
  const run = await page.getByTestId('run-status').textContent().catch(() => '');
  await sample(`t${i} ${st} ${run?.slice(0, 60)}`);
  if (st === 'done' || st === 'failed') break;
}
await browser.close();
server.httpServer.close();
