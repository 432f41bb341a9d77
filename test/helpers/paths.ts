/** Paths tests share: the repo root and the shared datasets beside the checkout. */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedDatasets = resolve(repoRoot, '..', 'shared', 'datasets');
export const template = (name: string): string => join(repoRoot, 'templates', `${name}.layerlab.json`);
