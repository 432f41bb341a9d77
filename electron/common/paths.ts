/**
 * Where the desktop host finds its bundles and keeps its data. Pure: main passes in what
 * it learned from `app` and `process`, so the rules are unit-tested.
 */
import path from 'node:path';
import type { BackendOptions } from './relay.js';

/** Files produced by scripts/build.mjs next to `dist/electron/main.cjs`. */
export interface BundlePaths {
  readonly preload: string;
  readonly utility: string;
  /** `dist/renderer`, Vite's output, served on the app origin. */
  readonly rendererDir: string;
}

/** `mainDir` is `__dirname` of the main bundle (`dist/electron`). */
export function bundlePaths(mainDir: string): BundlePaths {
  return {
    preload: path.join(mainDir, 'preload.cjs'),
    utility: path.join(mainDir, 'utility.cjs'),
    rendererDir: path.join(mainDir, '..', 'renderer'),
  };
}

export interface AppLocations {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `app.getPath('userData')`. */
  readonly userData: string;
  /** `app.getAppPath()`: the project root in development, the asar in a package. */
  readonly appPath: string;
  /** `process.resourcesPath`: where Forge puts `extraResource` folders. */
  readonly resourcesPath: string;
  readonly isPackaged: boolean;
}

/**
 * Backend folders. Datasets: `LAYERLAB_DATA_DIR` when set (shared with the CLI), else the
 * app's own cache under userData. Runs always live under userData. Templates come from the
 * packaged extra resource, or the checkout's `templates/` while developing.
 */
export function backendOptions(loc: AppLocations): BackendOptions {
  const dataDir = loc.env.LAYERLAB_DATA_DIR?.trim();
  return {
    templatesDir: loc.isPackaged ? path.join(loc.resourcesPath, 'templates') : path.join(loc.appPath, 'templates'),
    dataDir: dataDir ? path.resolve(dataDir) : path.join(loc.userData, 'datasets'),
    runsDir: path.join(loc.userData, 'runs'),
  };
}
