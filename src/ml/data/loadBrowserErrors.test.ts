// The browser loader's messages for a damaged download and a dataset never prepared, against a
// tiny server under Node (fetch and DecompressionStream are Node's own): /cut/ serves the real
// MNIST files with the .gz cut to half its length, /spa/ answers every path with an HTML page as
// a dev server's fallback does.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset } from './loadBrowser';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DATA = process.env.RTK_DATA_DIR ?? path.resolve(repoRoot, '../shared/data');

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x').pathname;
    if (url.startsWith('/spa/')) { res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><head><title>RTK</title></head><body><div id="root"></div></body></html>'); return; }
    const file = path.join(DATA, url.replace(/^\/cut\//, '/'));
    let bytes = readFileSync(file);
    if (file.endsWith('.gz')) bytes = bytes.subarray(0, bytes.length >> 1);
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('loader errors name the real cause', () => {
  it('a .gz cut short says it is damaged, not that it could not be fetched', async () => {
    const err = await loadDataset(`${base}/cut/`, 'mnist', { trainLimit: 0, testLimit: 100 }).then(() => new Error('loaded'), (e: unknown) => e as Error);
    expect(err.message).toMatch(/^mnist\/test-images\.u8\.gz: is damaged: its gzip data stops inflating after [\d,]+ bytes \(.+\), as when a download or copy is cut short; re-run npm run datasets$/);
    expect(err.message).not.toMatch(/fetch/i);
  });

  it('an HTML fallback page for manifest.json says the dataset was never prepared', async () => {
    const err = await loadDataset(`${base}/spa/`, 'cifar10').then(() => new Error('loaded'), (e: unknown) => e as Error);
    // The page's fallback for a missing file reads as "not prepared", never as invalid JSON.
    expect(err.message).toMatch(/^cifar10\/manifest\.json: .*not prepared.*; run npm run datasets/);
    expect(err.message).not.toMatch(/JSON/);
  });
});
