// `npm run bench`: runs every bench/*.bench.ts with tsx (or only those whose names contain
// one of the arguments), collects the JSON object each prints on its last stdout line and
// prints a summary. A bench's own human-readable output (stderr) passes through.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`bench: no bench/*.bench.ts${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const results = [];
let failed = 0;
for (const file of files) {
  console.error(`\n== ${file}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', join('bench', file)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (Date.now() - t0) / 1000;
  const last = (r.stdout ?? '').trim().split('\n').at(-1) ?? '';
  let json = null;
  try {
    json = JSON.parse(last);
  } catch {
    // reported below
  }
  if (r.status !== 0 || json === null) {
    failed++;
    results.push({ file, ok: false, seconds, error: r.status !== 0 ? `exit ${r.status ?? r.signal}` : 'no JSON on the last stdout line' });
  } else {
    results.push({ file, ok: true, seconds, result: json });
  }
}

/** One line per scalar field, and a table for an array of flat objects (e.g. `rows`). */
function show(value) {
  const out = [];
  for (const [k, v] of Object.entries(value)) {
    if (Array.isArray(v) && v.length > 0 && v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
      const cols = [...new Set(v.flatMap((x) => Object.keys(x)))];
      const cells = v.map((x) => cols.map((c) => (x[c] === null || x[c] === undefined ? '' : typeof x[c] === 'object' ? JSON.stringify(x[c]) : String(x[c]))));
      const w = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
      out.push(`  ${k}:`, `    ${cols.map((c, i) => c.padStart(w[i])).join('  ')}`, ...cells.map((row) => `    ${row.map((s, i) => s.padStart(w[i])).join('  ')}`));
    } else if (Array.isArray(v)) {
      for (const x of v) out.push(`  ${k}: ${typeof x === 'object' ? JSON.stringify(x) : x}`);
    } else {
      out.push(`  ${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : v}`);
    }
  }
  return out.join('\n');
}

console.log('\n==== bench summary');
for (const r of results) {
  console.log(`\n${r.file} (${r.seconds.toFixed(1)} s)${r.ok ? '' : `: FAILED, ${r.error}`}`);
  if (r.ok) console.log(show(r.result));
}
mkdirSync('out', { recursive: true });
writeFileSync('out/bench.json', JSON.stringify(results, null, 2));
console.log('\nall results: out/bench.json');
process.exit(failed ? 1 : 0);
