/**
 * Loads a prepared dataset from a folder in Node (tests, benchmarks, scripts) with zlib and
 * pngjs. Same checks and errors as the browser loader. Never import this from worker code.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { BuiltInDatasetId, DatasetId } from '../../domain';
import { isImportedId } from '../../domain';
import type { Dataset } from '../types';
import { DatasetError, FIX } from './errors';
import type { DatasetIo, LoadOptions } from './loadCore';
import { loadWithIo } from './loadCore';

/** A plain Uint8Array view of a Buffer, so Node and browser loaders return the same type. */
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function nodeIo(dir: string, id: BuiltInDatasetId): DatasetIo {
  const where = (name: string) => `${id}/${name}`;
  const read = async (name: string): Promise<Buffer> => {
    try {
      return await readFile(path.join(dir, id, name));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new DatasetError(where(name), `not found in ${dir}, run npm run datasets`);
      throw new DatasetError(where(name), `cannot be read (${code ?? String(e)}); ${FIX}`);
    }
  };
  const decode = <T>(name: string, what: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      throw new DatasetError(where(name), `is not a valid ${what} (${(e as Error).message}); ${FIX}`);
    }
  };
  return {
    async readJson(name) {
      const text = (await read(name)).toString('utf8');
      return decode(name, 'JSON file', () => JSON.parse(text) as unknown);
    },
    readBytes: async (name) => plain(await read(name)),
    async readGunzip(name) {
      const buf = await read(name);
      return decode(name, 'gzip file', () => plain(gunzipSync(buf)));
    },
    async readPng(name) {
      const buf = await read(name);
      return decode(name, 'PNG', () => PNG.sync.read(buf));
    },
    sha256Hex: (bytes) => Promise.resolve(createHash('sha256').update(bytes).digest('hex')),
  };
}

/**
 * Loads dataset `id` from `<dir>/<id>/` (e.g. public/datasets or ../shared/data), verifying the
 * decoded pixels and labels against the manifest checksums.
 * @throws DatasetError naming the file and the fix (missing file, checksum mismatch, bad manifest).
 */
export function loadDatasetNode(dir: string, id: DatasetId, opts: LoadOptions = {}): Promise<Dataset> {
  if (isImportedId(id)) return Promise.reject(new DatasetError(id, 'is an imported dataset; it lives in the browser that imported it, not on disk'));
  return loadWithIo(nodeIo(dir, id), id, opts);
}
