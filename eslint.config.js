// Lint rules, including the folder boundaries of DESIGN.md:
// ui → state, viz, bridge, domain; bridge → state, domain; worker → ml, domain; ml → domain;
// domain imports nothing. Only ml/ and worker/ may import @tensorflow/*.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const FOLDERS = ['domain', 'ml', 'worker', 'bridge', 'state', 'viz', 'ui', 'app'];
const ALLOWED = {
  domain: [],
  ml: ['domain'],
  worker: ['ml', 'domain'],
  bridge: ['state', 'domain'],
  state: ['domain'],
  viz: ['domain'],
  ui: ['state', 'viz', 'bridge', 'domain'],
  app: ['ui', 'state', 'viz', 'bridge', 'domain'],
};
const TF_OK = new Set(['ml', 'worker']);
const NO_UI_LIBS = new Set(['domain', 'ml', 'worker', 'bridge', 'state']);

function boundaryRules(folder) {
  const banned = FOLDERS.filter((f) => f !== folder && !ALLOWED[folder].includes(f));
  const patterns = banned.map((f) => ({
    group: [`**/${f}`, `**/${f}/*`, `**/${f}/**`],
    message: `src/${folder} may not import src/${f} (see DESIGN.md boundaries).`,
  }));
  if (!TF_OK.has(folder)) {
    patterns.push({ group: ['@tensorflow/*'], message: 'Only src/ml and src/worker may import @tensorflow/*.' });
  }
  if (NO_UI_LIBS.has(folder)) {
    patterns.push({ group: ['react', 'react-dom', 'react-dom/*', 'd3-*'], message: `src/${folder} has no UI code.` });
  }
  if (folder === 'domain') {
    patterns.push({ group: ['zustand', 'zustand/*'], message: 'src/domain imports nothing.' });
  }
  return {
    files: [`src/${folder}/**/*.{ts,tsx}`],
    ignores: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'src/ml/onnx/generated/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', self: 'readonly', window: 'readonly', document: 'readonly',
        performance: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-undef': 'off',
    },
  },
  {
    files: ['src/ui/**/*.tsx', 'src/app/**/*.tsx', 'src/viz/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  ...FOLDERS.map(boundaryRules),
);
