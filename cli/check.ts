/** `layerlab check FILE [--json]`: exit 0 no errors, 1 graph errors, 2 unreadable or not a graph. */
import { readFileSync } from 'node:fs';
import { compile } from '../graph-compiler/index.js';

export function check(file: string, json: boolean): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const msg = `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`;
    if (json) process.stdout.write(JSON.stringify({ valid: false, error: msg }) + '\n');
    process.stderr.write(msg + '\n');
    return 2;
  }
  const result = compile(text);
  if (json) process.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
  if (!result.document) {
    for (const d of result.diagnostics) process.stderr.write(`${file}: ${d.message}\n`);
    return 2;
  }
  const r = result.report;
  if (!json) {
    const width = Math.max(...r.nodes.map((n) => n.id.length), 4);
    for (const n of r.nodes)
      process.stderr.write(`${n.id.padEnd(width)}  ${n.type.padEnd(22)} ${(n.outputShape ? `[${n.outputShape.join(', ')}]` : '?').padEnd(16)} ${n.params.toLocaleString('en-US').padStart(12)}\n`);
    process.stderr.write(`total params ${r.totalParams.toLocaleString('en-US')} (trainable ${r.trainableParams.toLocaleString('en-US')}), ${(r.flops / 1e6).toFixed(2)} MFLOPs per example\n`);
  }
  for (const d of r.diagnostics) process.stderr.write(`${d.severity}: ${d.code} ${d.message}\n`);
  return r.valid ? 0 : 1;
}
