/**
 * Electron Forge 7 packaging (`npm run package`, `npm run make`). The app ships only what
 * runs: package.json, the bundles in dist/electron, the renderer in dist/renderer, our WASM
 * SIMD kernels in dist/simd and the production node_modules; the templates travel as an
 * extra resource beside the asar.
 * Run `npm run build` first: Forge packages dist/ as it is.
 */
import type { ForgeConfig } from '@electron-forge/shared-types';

const KEEP: readonly RegExp[] = [/^\/package\.json$/, /^\/LICENSE$/, /^\/dist$/, /^\/dist\/(electron|renderer|simd)(\/.*)?$/, /^\/node_modules(\/.*)?$/];
// Tool caches and npm bookkeeping under node_modules, the Electron binary package, source maps.
const DROP: readonly RegExp[] = [/^\/node_modules\/(\.bin|\.cache|\.vite[^/]*|\.package-lock\.json|electron)(\/.*)?$/, /\.map$/];

/**
 * Packager's ignore function: true for every path (relative to the project, `/`-rooted)
 * that stays out of the app. An allowlist, so sources, tests, scratch files and local
 * data never end up in a package by accident.
 */
export function ignoreForPackage(file: string): boolean {
  const p = file.replace(/\\/g, '/');
  if (p === '') return false;
  return !KEEP.some((r) => r.test(p)) || DROP.some((r) => r.test(p));
}

const config: ForgeConfig = {
  packagerConfig: {
    name: 'Layerlab',
    executableName: 'layerlab',
    appBundleId: 'dev.layerlab.app',
    appCategoryType: 'public.app-category.education',
    asar: {
      // WebAssembly kernels (tfjs-backend-wasm) and native addons are read from real files.
      unpack: '*.{wasm,node}',
      // tfjs-node loads its libtensorflow shared library by path next to the addon.
      unpackDir: '{node_modules/@tensorflow/tfjs-node,node_modules/@tensorflow/tfjs-node-gpu}',
    },
    extraResource: ['templates'],
    ignore: ignoreForPackage,
  },
  rebuildConfig: {
    // Nothing to rebuild: the only native addon, optional tfjs-node, is N-API (ABI-stable across
    // Node and Electron), and rebuilding it would re-download libtensorflow.
    onlyModules: [],
  },
  makers: [
    { name: '@electron-forge/maker-zip', platforms: ['darwin', 'linux', 'win32'], config: {} },
    {
      name: '@electron-forge/maker-deb',
      platforms: ['linux'],
      config: {
        options: {
          name: 'layerlab',
          productName: 'Layerlab',
          genericName: 'Neural network designer',
          categories: ['Education', 'Development', 'Science'],
          section: 'devel',
          maintainer: 'Layerlab contributors',
        },
      },
    },
  ],
};

export default config;
