// Lint rules, including the import rules of docs/architecture.md: a forbidden import fails `npm test`.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'net', 'url', 'crypto', 'stream', 'zlib', 'events', 'util'];
const ours = (...folders) => folders.flatMap((f) => [`**/${f}`, `**/${f}/**`, `../${f}/**`, `../../${f}/**`]);

/** `folder` may not import `patterns`; `message` says why and what to do instead. */
const zone = (folder, groups) => ({
  files: [`${folder}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': ['error', { patterns: groups.map(({ group, message }) => ({ group, message })) }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'scratch/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  zone('contracts', [
    { group: ours('graph-compiler', 'runtime', 'renderer', 'electron', 'cli'), message: 'contracts/ imports nothing of ours.' },
    { group: [...nodeBuiltins, 'electron', '@tensorflow/*', 'react', 'react-dom'], message: 'contracts/ is plain types and zod: no Node, DOM, Electron or tfjs.' },
  ]),
  zone('graph-compiler', [
    { group: ours('runtime', 'renderer', 'electron', 'cli'), message: 'graph-compiler/ may import only contracts/.' },
    { group: [...nodeBuiltins, 'electron', '@tensorflow/*', 'react', 'react-dom'], message: 'graph-compiler/ is pure TypeScript: no Node, DOM, Electron or tfjs.' },
  ]),
  zone('runtime', [
    { group: ours('renderer', 'electron', 'cli'), message: 'runtime/ may import graph-compiler/, contracts/, tfjs and Node only.' },
    { group: ['electron', 'react', 'react-dom'], message: 'runtime/ runs in Node or a worker, never with Electron or React.' },
  ]),
  zone('renderer', [
    { group: ours('runtime', 'electron', 'cli'), message: 'renderer/ talks to the host only through the API in contracts/.' },
    { group: [...nodeBuiltins, 'electron', '@tensorflow/*'], message: 'renderer/ runs in a browser or a sandboxed window: no Node, Electron or tfjs.' },
  ]),
  zone('cli', [{ group: ours('renderer', 'electron'), message: 'cli/ may import contracts/, graph-compiler/ and runtime/.' }, { group: ['electron', 'react', 'react-dom'], message: 'cli/ runs in plain Node.' }]),
  zone('electron', [
    { group: ours('renderer', 'cli'), message: 'electron/ may import contracts/ and (from the utility process entry) runtime/.' },
  ]),
  {
    files: ['electron/**/*.{ts,tsx}'],
    ignores: ['electron/utility/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ours('renderer', 'cli'), message: 'electron/ may import contracts/ and (from the utility process entry) runtime/.' },
            { group: ours('runtime'), message: 'Only electron/utility/ (the training process) may import runtime/.' },
          ],
        },
      ],
    },
  },
);
