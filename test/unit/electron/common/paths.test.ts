import path from 'node:path';
import { expect, test } from 'vitest';
import { backendOptions, bundlePaths } from '../../../../electron/common/paths.js';

const base = { env: {}, userData: '/home/u/.config/Layerlab', appPath: '/src/layerlab', resourcesPath: '/opt/Layerlab/resources', isPackaged: false };

test('bundle paths match scripts/build.mjs outputs', () => {
  const b = bundlePaths(path.join('/src/layerlab', 'dist', 'electron'));
  expect(b).toEqual({
    preload: path.join('/src/layerlab/dist/electron/preload.cjs'),
    utility: path.join('/src/layerlab/dist/electron/utility.cjs'),
    rendererDir: path.join('/src/layerlab/dist/renderer'),
  });
});

test('development uses the checkout templates and userData folders', () => {
  expect(backendOptions(base)).toEqual({
    templatesDir: path.join('/src/layerlab/templates'),
    dataDir: path.join('/home/u/.config/Layerlab/datasets'),
    runsDir: path.join('/home/u/.config/Layerlab/runs'),
  });
});

test('a package uses the extra resource templates', () => {
  expect(backendOptions({ ...base, isPackaged: true }).templatesDir).toBe(path.join('/opt/Layerlab/resources/templates'));
});

test('LAYERLAB_DATA_DIR overrides the dataset cache; blank is ignored', () => {
  expect(backendOptions({ ...base, env: { LAYERLAB_DATA_DIR: '/data/idx' } }).dataDir).toBe(path.resolve('/data/idx'));
  expect(backendOptions({ ...base, env: { LAYERLAB_DATA_DIR: '  ' } }).dataDir).toBe(path.join('/home/u/.config/Layerlab/datasets'));
});
