/** Shared by prepare-datasets.mjs and its sources: the committed catalog and small helpers. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Expected contents of every dataset (checksums of decoded pixels and labels): checksums.json. */
export const CATALOG = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/datasets/checksums.json'), 'utf8'));

/** An error whose message already names the file and the fix. */
export class PrepError extends Error {}

export const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
export const rel = (p) => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p) || '.');
export const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
