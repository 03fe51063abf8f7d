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

  /** The body of `name`; a connection dropped partway is named as such, not as bad content. */
  const body = async (name: string): Promise<Uint8Array<ArrayBuffer>> => {
    const res = await get(name);
    try {
      return new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw new DatasetError(where(name), `its download broke off partway (${(e as Error).message}); check the dev server is still running and reload`);
    }
  };

  return {
    async readJson(name) {
      const text = new TextDecoder().decode(await body(name));
      // Dev servers answer a missing file with their index page (200, text/html), not a 404.
      if (/^\s*<(!doctype|html|head|body|script)/i.test(text)) {
        throw new DatasetError(where(name), `the server sent an HTML page instead (its fallback for a missing file): this dataset was never prepared here; run npm run datasets`);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch (e) {
        throw new DatasetError(where(name), `is not valid JSON (${(e as Error).message}); ${FIX}`);
      }
    },
    async readBytes(name) {
      return body(name);
    },
    async readGunzip(name) {
      const bytes = await body(name);
      // A server that sends .gz files with "Content-Encoding: gzip" makes the browser inflate
      // them already; the checksum of the decoded pixels still guards the result.
      if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
      // Read through the stream's own reader: a Response wrapped around it reports any
      // inflate error as "Failed to fetch", which names the wrong cause.
      const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
      const parts: Uint8Array[] = [];
      let size = 0;
      try {
        for (let r = await reader.read(); !r.done; r = await reader.read()) { parts.push(r.value); size += r.value.length; }
      } catch (e) {
        throw new DatasetError(where(name), `is damaged: its gzip data stops inflating after ${size.toLocaleString('en-US')} bytes (${(e as Error).message}), as when a download or copy is cut short; ${FIX}`);
      }
      const out = new Uint8Array(size);
      let at = 0;
      for (const p of parts) { out.set(p, at); at += p.length; }
      return out;
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
