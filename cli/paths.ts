/** Where the app's own files are, whether running from sources or from the bundle in dist/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'layerlab') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the Layerlab installation (package.json named "layerlab")');
    dir = up;
  }
}

export const templatesDir = (): string => join(appRoot(), 'templates');
export const rendererDir = (): string => join(appRoot(), 'dist', 'renderer');
