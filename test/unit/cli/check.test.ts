import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerlab } from '../../helpers/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'll-check-'));
const file = (name: string, text: string) => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('layerlab check', () => {
  it('reports LeNet: 61,706 parameters and output [10], exit 0', async () => {
    const r = await layerlab(['check', 'templates/lenet.layerlab.json', '--json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(true);
    expect(report.totalParams).toBe(61706);
    expect(report.trainableParams).toBe(61706);
    expect(report.outputs).toEqual([{ id: 'logits', shape: [10] }]);
    expect(report.nodes.find((n: { id: string }) => n.id === 'conv1')).toMatchObject({ outputShape: [28, 28, 6], params: 156, flops: 235200 });
  });

  it('exits 1 with the diagnostics when the graph has errors', async () => {
    const doc = { format: 'layerlab-graph', version: 1, name: 'x', nodes: [{ id: 'in', type: 'Input', params: { shape: [4] } }, { id: 'd', type: 'Dense', params: { units: 0 } }], edges: [{ source: 'in', target: 'd' }] };
    const r = await layerlab(['check', file('bad.layerlab.json', JSON.stringify(doc)), '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.diagnostics[0]).toMatchObject({ code: 'E_BAD_PARAMS', nodeIds: ['d'] });
  });

  it('exits 2 with a reason for unreadable files and non-graphs', async () => {
    const missing = await layerlab(['check', join(tmp, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const broken = await layerlab(['check', file('broken.json', '{"format": "layerlab-graph", ')]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/not valid JSON/);
    const other = await layerlab(['check', file('other.json', '{"hello": 1}')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/"format" must be "layerlab-graph"/);
    const future = await layerlab(['check', file('future.json', '{"format": "layerlab-graph", "version": 9, "nodes": [], "edges": []}')]);
    expect(future.stderr).toMatch(/version 9, newer than this app/);
  });

  it('rejects an unknown option with exit 2', async () => {
    const r = await layerlab(['check', 'templates/lenet.layerlab.json', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/frobnicate/);
  });
});
