#!/usr/bin/env node
/**
 * Generates the static protobufjs code for src/ml/onnx/onnx.proto (npm run gen:onnx):
 * src/ml/onnx/generated/onnx.js (encode/decode only, ES module on protobufjs/minimal) and its
 * typings onnx.d.ts. Static code needs no new Function() at run time, unlike a schema parsed
 * in the page, so the studio's CSP carries no 'unsafe-eval'. The output is committed;
 * src/ml/onnx/generated.test.ts fails when it no longer matches the .proto.
 *
 *   node scripts/gen-onnx-proto.mjs [--out DIR] [--js-only]   (DIR: default src/ml/onnx/generated)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = path.resolve(at > 0 ? process.argv[at + 1] : path.join(root, 'src', 'ml', 'onnx', 'generated'));
const proto = path.join(root, 'src', 'ml', 'onnx', 'onnx.proto');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
// Only what the studio calls: no reflection-compatible create/verify/fromObject/toObject.
const common = ['-t', 'static-module', '-w', 'es6', '--es6', '--no-create', '--no-verify', '--no-convert', '--no-delimited', '--no-typeurl', '--no-service'];

mkdirSync(out, { recursive: true });
const js = path.join(out, 'onnx.js');
execFileSync(bin('pbjs'), [...common, '--no-comments', '-o', js, proto], { cwd: root, stdio: 'inherit' });
// protobufjs/minimal is CommonJS: Node's ES module loader (tsx: bench:teacher, the scripts) gives a
// namespace import no `roots`, so the module is imported as its default export, which both Node and Vite give.
const star = 'import * as $protobuf from "protobufjs/minimal";';
const code = readFileSync(js, 'utf8');
if (!code.includes(star)) throw new Error(`gen-onnx-proto: pbjs no longer writes '${star}': update this script`);
writeFileSync(js, code.replace(star, 'import $protobuf from "protobufjs/minimal.js";'));
// The typings come from a commented build (pbts reads the JSDoc), which is not kept.
if (process.argv.includes('--js-only')) process.exit(0);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'onnx-pbjs-'));
try {
  execFileSync(bin('pbjs'), [...common, '-o', path.join(tmp, 'onnx.js'), proto], { cwd: root, stdio: 'inherit' });
  execFileSync(bin('pbts'), ['--no-comments', '-o', path.join(out, 'onnx.d.ts'), path.join(tmp, 'onnx.js')], { cwd: root, stdio: 'inherit' });
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`wrote ${path.relative(root, out)}/onnx.js and onnx.d.ts`);
