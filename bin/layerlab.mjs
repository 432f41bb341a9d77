#!/usr/bin/env node
// The `layerlab` command: runs the bundled CLI built by `npm run build` (npm install runs it).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('layerlab: the app is not built yet; run `npm install` (or `npm run build`) in the project folder\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
