import { describe, expect, test } from 'vitest';
import config, { ignoreForPackage } from '../../../forge.config.js';

describe('forge.config.ts', () => {
  test.each(['/package.json', '/dist', '/dist/electron/main.cjs', '/dist/electron/worker.mjs', '/dist/renderer/index.html', '/dist/renderer/assets/index-a1.js', '/dist/simd/layerlab-kernels.wasm', '/node_modules/zod/index.js', '\\dist\\electron\\preload.cjs'])(
    'packages %s',
    (p) => {
      expect(ignoreForPackage(p)).toBe(false);
    },
  );

  test.each([
    '/electron/main.ts',
    '/runtime/service.ts',
    '/test/unit/x.test.ts',
    '/scratch/c.ts',
    '/templates/lenet.layerlab.json',
    '/dist/cli.mjs',
    '/dist/electron/main.cjs.map',
    '/node_modules/electron/dist/electron',
    '/node_modules/.bin/vite',
    '/node_modules/.vite/deps/x.js',
    '/node_modules/.vite-temp/vite.config.mjs',
    '/node_modules/.package-lock.json',
    '/.git/config',
    '/package-lock.json',
    '/distillery/x',
  ])('leaves %s out', (p) => {
    expect(ignoreForPackage(p)).toBe(true);
  });

  test('packs into an asar with the wasm kernels unpacked, templates as an extra resource, zip and deb makers', () => {
    const pc = config.packagerConfig!;
    expect(pc.asar).toMatchObject({ unpack: expect.stringContaining('wasm') });
    expect(pc.extraResource).toEqual(['templates']);
    expect(config.makers!.map((m) => ('name' in m ? m.name : undefined))).toEqual(['@electron-forge/maker-zip', '@electron-forge/maker-deb']);
  });
});
