/** The layering of docs/architecture.md is enforced by lint: a forbidden import fails `npm test`. */
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/paths.js';

const eslint = new ESLint({ cwd: repoRoot });

async function restricted(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(repoRoot, file) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import rules', () => {
  it.each([
    ['renderer/x.ts', "import { readFileSync } from 'node:fs';"],
    ['renderer/x.ts', "import { startTraining } from '../runtime/host.js';"],
    ['renderer/x.ts', "import { app } from 'electron';"],
    ['renderer/x.ts', "import * as tf from '@tensorflow/tfjs-core';"],
    ['graph-compiler/x.ts', "import * as tf from '@tensorflow/tfjs-core';"],
    ['graph-compiler/x.ts', "import { join } from 'path';"],
    ['graph-compiler/passes/x.ts', "import { materialize } from '../../runtime/materialize.js';"],
    ['contracts/x.ts', "import { compile } from '../graph-compiler/index.js';"],
    ['runtime/x.ts', "import { App } from '../renderer/App.js';"],
    ['electron/main.ts', "import { createService } from '../runtime/service.js';"],
    ['cli/x.ts', "import { BrowserWindow } from 'electron';"],
  ])('%s may not: %s', async (file, source) => {
    expect((await restricted(file, source)).length).toBeGreaterThan(0);
  });

  it.each([
    ['renderer/x.ts', "import { compile } from '../graph-compiler/index.js';"],
    ['graph-compiler/x.ts', "import type { Diagnostic } from '../contracts/index.js';"],
    ['runtime/x.ts', "import * as tf from '@tensorflow/tfjs-core';"],
    ['electron/utility/service.ts', "import { createService } from '../../runtime/service.js';"],
    ['cli/x.ts', "import { createService } from '../runtime/service.js';"],
  ])('%s may: %s', async (file, source) => {
    expect(await restricted(file, source)).toEqual([]);
  });
});
