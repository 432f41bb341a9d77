import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { scopeReports } from '../../../../renderer/document/blockScope.js';
import { applyCommand, blockView } from '../../../../renderer/document/commands.js';
import { execute, startHistory, undo } from '../../../../renderer/document/history.js';
import { partialReports } from '../../../../renderer/state/partialShapes.js';

const resnet = JSON.parse(readFileSync(new URL('../../../../templates/resnet18.layerlab.json', import.meta.url), 'utf8')) as GraphDocument;

describe('editing inside a block', () => {
  test('the view is the block as a document', () => {
    const view = blockView(resnet, 'Residual')!;
    expect(view.nodes.map((n) => n.id)).toEqual(['x', 'conv1', 'bn1', 'relu1', 'conv2', 'bn2', 'add', 'out']);
    expect(view.outputs).toEqual(['out']);
    expect(blockView(resnet, 'Nope')).toBeNull();
  });

  test('a command inside the block changes its definition, every instance, and undoes as one step', () => {
    const cmd = { type: 'inBlock' as const, block: 'Residual', command: { type: 'setParam' as const, nodeId: 'relu1', key: 'activation', value: 'tanh' } };
    const next = applyCommand(resnet, cmd);
    expect(next.blocks!.Residual!.nodes.find((n) => n.id === 'relu1')?.params?.activation).toBe('tanh');
    expect(next.nodes).toBe(resnet.nodes);
    expect(undo(execute(startHistory(resnet), cmd)).present).toBe(resnet);
  });

  test('renaming the block input keeps it the block input', () => {
    const next = applyCommand(resnet, { type: 'inBlock', block: 'Residual', command: { type: 'rename', from: 'x', to: 'input' } });
    expect(next.blocks!.Residual!.inputs).toEqual(['input']);
    expect(compile(next).report.valid).toBe(true);
  });

  test("shapes inside come from the first instance, and the input placeholder gets the instance's input shape", () => {
    const c = compile(resnet);
    const { reports } = scopeReports(resnet, 'Residual', partialReports(resnet, c), c.report);
    const shape = (id: string) => reports.find((r) => r.id === id)?.outputShape;
    expect(shape('conv1')).toEqual([24, 24, 64]);
    expect(shape('x')).toEqual([24, 24, 64]);
  });

  test('a broken block blames its layers by their names inside the block', () => {
    const broken = applyCommand(resnet, { type: 'inBlock', block: 'Residual', command: { type: 'setParam', nodeId: 'conv2', key: 'filters', value: 32 } });
    const c = compile(broken);
    const { report } = scopeReports(broken, 'Residual', partialReports(broken, c), c.report);
    expect(report.diagnostics.length).toBeGreaterThan(0);
    expect(report.diagnostics.every((d) => d.nodeIds.every((id) => !id.includes('/')))).toBe(true);
    expect(report.diagnostics.flatMap((d) => d.nodeIds)).toContain('add');
  });
});
