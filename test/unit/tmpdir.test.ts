import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';
import { expect, it } from 'vitest';

it("writes temporary files under the run's own folder, which test/globalSetup.ts deletes afterwards", () => {
  expect(basename(tmpdir())).toMatch(/^layerlab-tests-/);
  expect(dirname(tmpdir())).not.toBe(tmpdir());
});
