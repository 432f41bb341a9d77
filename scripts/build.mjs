// Builds everything the app runs: the Node bundles (CLI, training worker, Electron main,
// preload and utility process) with esbuild, and the renderer with Vite. `npm install` runs it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const node = { bundle: true, platform: 'node', target: 'node20', packages: 'external', sourcemap: 'linked', logLevel: 'warning' };
// CommonJS bundles have no import.meta; give them the file's own URL.
const cjs = {
  ...node,
  format: 'cjs',
  define: { 'import.meta.url': '__layerlab_import_meta_url' },
  banner: { js: "const __layerlab_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
};

const jobs = [
  build({ ...node, format: 'esm', entryPoints: { cli: 'cli/index.ts', worker: 'runtime/worker.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } }),
  build({ ...node, format: 'esm', entryPoints: { worker: 'runtime/worker.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.mjs' } }),
];
const electronEntries = Object.fromEntries(
  [
    ['main', 'electron/main.ts'],
    ['utility', 'electron/utility/service.ts'],
  ].filter(([, f]) => existsSync(f)),
);
if (Object.keys(electronEntries).length)
  jobs.push(build({ ...cjs, entryPoints: electronEntries, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] }));
// A sandboxed preload has no __filename (nor any Node module), so it gets no import.meta banner.
if (existsSync('electron/preload.ts'))
  jobs.push(build({ ...node, format: 'cjs', entryPoints: { preload: 'electron/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] }));
await Promise.all(jobs);

if (existsSync('renderer/vite.config.ts')) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.error('build: wrote dist/');
