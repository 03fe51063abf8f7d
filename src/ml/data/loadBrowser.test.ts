// The browser loader under Node: fetch, DecompressionStream and crypto.subtle exist in Node 20,
// so the gzip-raw and raw paths run for real against a tiny static server. The png-tiles path
// needs createImageBitmap/OffscreenCanvas and is covered by the e2e specs in Chromium.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError } from './errors';
import { loadDataset } from './loadBrowser';
import { loadDatasetNode } from './loadNode';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const file = path.join(DATA, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(DATA) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  // Longer than the first test: an idle keep-alive socket closed by the server mid-reuse reads as "fetch failed".
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loadDataset (browser loader, gzip-raw and raw paths)', () => {
  it('loads digits and MNIST test exactly like the Node loader', async () => {
    const digits = await loadDataset(`${base}/`, 'digits');
    const ref = await loadDatasetNode(DATA, 'digits');
    expect(digits.train.images).toEqual(ref.train.images);
    expect(digits.test.labels).toEqual(ref.test.labels);

    const mnist = await loadDataset(base, 'mnist', { trainLimit: 0, testLimit: 500 });
    const mref = await loadDatasetNode(DATA, 'mnist', { trainLimit: 0, testLimit: 500 });
    expect(mnist.test.count).toBe(500);
    expect(mnist.test.images).toEqual(mref.test.images);
    expect(mnist.test.labels).toEqual(mref.test.labels);
  });

  it('a 404 names the file and says to run npm run datasets', async () => {
    const err = await loadDataset(`${base}/nowhere`, 'mnist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as Error).message).toBe('mnist/manifest.json: not found: this dataset is not prepared on this machine; run npm run datasets, which says what is missing and how to get it');
  });
});
