/**
 * Loads a prepared dataset over HTTP inside the training worker (fetch, DecompressionStream,
 * createImageBitmap + OffscreenCanvas, crypto.subtle). Uses only APIs available in a Web Worker.
 */
import type { BuiltInDatasetId } from '../../domain';
import type { Dataset } from '../types';
import { DatasetError, FIX } from './errors';
import type { DatasetIo, LoadOptions, Rgba } from './loadCore';
import { loadWithIo } from './loadCore';

export type { LoadOptions } from './loadCore';

function browserIo(baseUrl: string, id: BuiltInDatasetId): DatasetIo {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  const where = (name: string) => `${id}/${name}`;

  const get = async (name: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetch(`${base}${id}/${name}`);
    } catch (e) {
      throw new DatasetError(where(name), `could not be fetched (${(e as Error).message}); is the dev server running?`);
    }
    // A dev server answers index.html for a missing file: the dataset was never prepared here.
    const notPrepared = res.status === 404 || (res.ok && /text\/html/.test(res.headers.get('content-type') ?? '') && !name.endsWith('.html'));
    if (notPrepared) throw new DatasetError(where(name), 'not found: this dataset is not prepared on this machine; run npm run datasets, which says what is missing and how to get it');
    if (!res.ok) throw new DatasetError(where(name), `HTTP ${res.status} ${res.statusText}; ${FIX}`);
    return res;
  };

  return {
    async readJson(name) {
      const res = await get(name);
      try {
        return (await res.json()) as unknown;
      } catch {
        throw new DatasetError(where(name), `is not valid JSON; ${FIX}`);
      }
    },
    async readBytes(name) {
      return new Uint8Array(await (await get(name)).arrayBuffer());
    },
    async readGunzip(name) {
      const bytes = new Uint8Array(await (await get(name)).arrayBuffer());
      // A server that sends .gz files with "Content-Encoding: gzip" makes the browser inflate
      // them already; the checksum of the decoded pixels still guards the result.
      if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
      try {
        const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
        return new Uint8Array(await new Response(stream).arrayBuffer());
      } catch (e) {
        throw new DatasetError(where(name), `is not a valid gzip file (${(e as Error).message}); ${FIX}`);
      }
    },
    async readPng(name): Promise<Rgba> {
      const blob = await (await get(name)).blob();
      let bitmap: ImageBitmap;
      try {
        bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      } catch (e) {
        throw new DatasetError(where(name), `is not a decodable PNG (${(e as Error).message}); ${FIX}`);
      }
      const { width, height } = bitmap;
      const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new DatasetError(where(name), 'cannot be decoded: this browser has no OffscreenCanvas 2D context');
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      return { width, height, data: ctx.getImageData(0, 0, width, height).data };
    },
    async sha256Hex(bytes) {
      // digest() needs an ArrayBuffer-backed view; decoded buffers always are, copy otherwise.
      const view = bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', view));
      return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    },
  };
}

/**
 * Loads dataset `id` from `<baseUrl>/<id>/manifest.json` and the files it names, verifying the
 * decoded pixels and labels against the manifest checksums.
 * @param baseUrl absolute URL of the datasets folder (in a worker, relative URLs resolve against
 *   the worker script), e.g. `new URL('datasets/', location.origin + import.meta.env.BASE_URL).href`.
 * @throws DatasetError naming the file and the fix (missing file, checksum mismatch, bad manifest).
 */
export function loadDataset(baseUrl: string, id: BuiltInDatasetId, opts: LoadOptions = {}): Promise<Dataset> {
  return loadWithIo(browserIo(baseUrl, id), id, opts);
}
