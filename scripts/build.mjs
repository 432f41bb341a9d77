// Builds everything the app runs: the Node bundles (CLI, training worker, Electron main,
// preload and utility process) with esbuild, and the renderer with Vite. `npm install` runs it.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
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

// Our WASM SIMD kernels (runtime/kernels/simd/*.c) need clang with the wasm32 target and
// wasm-ld (Debian: clang lld). Without them the app still works, on its XNNPACK/JS paths.
const clang = ['clang', 'clang-19', 'clang-18', 'clang-17', 'clang-16', 'clang-15', 'clang-14'].find((c) => spawnSync(c, ['--version']).status === 0);
if (!clang) {
  console.error('build: clang not found, so the WASM SIMD kernels are not built (install clang and lld for faster CPU training)');
} else {
  mkdirSync('dist/simd', { recursive: true });
  const common = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-Wall', '-Wextra', '-Werror', '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--initial-memory=131072', '-Wl,--max-memory=4294967296', '-Wl,-z,stack-size=0'];
  const sources = readdirSync('runtime/kernels/simd').filter((f) => f.endsWith('.c')).map((f) => `runtime/kernels/simd/${f}`);
  // The kernels share the backend's memory and own no stack there: code that needs a stack
  // frame (an address-taken local, a struct passed by value) would write to address ~0.
  for (const src of sources) {
    const asm = spawnSync(clang, ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-ffreestanding', '-S', '-o', '-', src], { encoding: 'utf8' });
    if (asm.status === 0 && asm.stdout.includes('__stack_pointer')) {
      console.error(`build: ${src} uses a stack frame (__stack_pointer); keep locals in registers (see the note in the file)`);
      process.exit(1);
    }
  }
  for (const [out, extra] of [
    ['dist/simd/layerlab-kernels.wasm', []],
    ['dist/simd/layerlab-kernels-mt.wasm', ['-matomics', '-Wl,--shared-memory']],
  ]) {
    const r = spawnSync(clang, [...common, ...extra, '-o', out, ...sources], { encoding: 'utf8' });
    if (r.status === 0) continue;
    rmSync('dist/simd', { recursive: true, force: true });
    // A clang without the wasm linker (or target) is a missing tool: build without the kernels.
    if (/wasm-ld|unable to execute|No available targets|unknown target/i.test(r.stderr)) {
      console.error(`build: ${clang} cannot link WebAssembly here (install lld for wasm-ld), so the WASM SIMD kernels are not built`);
      break;
    }
    process.stderr.write(r.stderr);
    console.error(`build: ${clang} failed on runtime/kernels/simd`);
    process.exit(r.status ?? 1);
  }
}

if (existsSync('renderer/vite.config.ts')) {
  const r = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
console.error('build: wrote dist/');
