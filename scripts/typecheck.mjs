// Type-checks each folder under its own tsconfig, so a DOM or Node reference where the
// architecture forbids one fails (e.g. `process` in graph-compiler/).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const folders = ['contracts', 'graph-compiler', 'runtime', 'cli', 'electron', 'renderer', 'test'];
let failed = false;
for (const f of folders) {
  if (!existsSync(`${f}/tsconfig.json`)) continue;
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', f], { stdio: 'inherit' });
  } catch {
    console.error(`typecheck failed in ${f}/`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
