/**
 * The committed static protobuf code (generated/onnx.js) is what `npm run gen:onnx` makes from
 * onnx.proto today, and the page's ONNX code never builds a function at run time (no
 * new Function / eval, which the CSP without 'unsafe-eval' refuses).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const here = path.resolve('src/ml/onnx');

describe('generated ONNX protobuf code', () => {
  it('matches onnx.proto (run npm run gen:onnx after editing it)', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'onnx-gen-'));
    try {
      execFileSync(process.execPath, ['scripts/gen-onnx-proto.mjs', '--out', tmp, '--js-only'], { stdio: 'pipe' });
      expect(readFileSync(path.join(tmp, 'onnx.js'), 'utf8')).toBe(readFileSync(path.join(here, 'generated', 'onnx.js'), 'utf8'));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);

  it('uses protobufjs/minimal only, with no code built at run time', () => {
    const code = readFileSync(path.join(here, 'generated', 'onnx.js'), 'utf8');
    expect([...code.matchAll(/from "([^"]+)"/g)].map((m) => m[1])).toEqual(['protobufjs/minimal.js']);
    expect(code).not.toMatch(/new Function|\beval\(/);
    const graph = readFileSync(path.join(here, 'graph.ts'), 'utf8');
    expect(graph).not.toMatch(/from 'protobufjs'/);
  });
});
