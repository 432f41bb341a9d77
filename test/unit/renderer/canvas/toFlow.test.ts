import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { applyCommand, makeEdge } from '../../../../renderer/document/commands.js';
import { toFlowEdges, toFlowNodes } from '../../../../renderer/canvas/toFlow.js';
import { partialReports } from '../../../../renderer/state/partialShapes.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../../../templates/${name}.layerlab.json`, import.meta.url), 'utf8')) as GraphDocument;
const flow = (doc: GraphDocument) => {
  const c = compile(doc);
  const reports = partialReports(doc, c);
  return { nodes: toFlowNodes(doc, c.report, reports, []), edges: toFlowEdges(doc, c.report, reports) };
};

describe('document to canvas', () => {
  test('each LeNet edge carries the shape of its source', () => {
    const { edges } = flow(load('lenet'));
    expect(edges.find((e) => e.source === 'conv1')?.data?.shape).toEqual([28, 28, 6]);
    expect(edges.find((e) => e.source === 'flatten')?.data?.shape).toEqual([400]);
  });

  test('nodes carry type, shape, params and a handle per input port', () => {
    const { nodes } = flow(load('lenet'));
    const conv1 = nodes.find((n) => n.id === 'conv1')!;
    expect(conv1.data).toMatchObject({ type: 'Conv2D', shape: [28, 28, 6], params: 156, severity: null, inputs: ['input'] });
    expect(nodes.find((n) => n.id === 'input')!.data.inputs).toEqual([]);
  });

  test('multi-input layers get one handle per named port, and variadic ones a spare', () => {
    let doc: GraphDocument = { format: 'layerlab-graph', version: 1, name: 't', nodes: [
      { id: 'x', type: 'Input', params: { shape: [8, 16] } },
      { id: 'mha', type: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 8 } },
      { id: 'add', type: 'Add' },
    ], edges: [] };
    let nodes = flow(doc).nodes;
    expect(nodes.find((n) => n.id === 'mha')!.data.inputs).toEqual(['query', 'value']);
    expect(nodes.find((n) => n.id === 'add')!.data.inputs).toHaveLength(2);
    doc = applyCommand(doc, { type: 'connect', edge: makeEdge('x', 'add', 0) });
    doc = applyCommand(doc, { type: 'connect', edge: makeEdge('x', 'add', 1) });
    doc = applyCommand(doc, { type: 'connect', edge: makeEdge('x', 'mha', 0) });
    doc = applyCommand(doc, { type: 'connect', edge: makeEdge('x', 'mha', 1) });
    nodes = flow(doc).nodes;
    expect(nodes.find((n) => n.id === 'add')!.data.inputs).toHaveLength(3);
    expect(nodes.find((n) => n.id === 'mha')!.data.inputs).toEqual(['query', 'value', 'key']);
  });

  test('a dangling node is an error, yet the rest of the graph keeps its shapes', () => {
    const doc = applyCommand(load('lenet'), { type: 'addNode', node: { id: 'd', type: 'Dense', params: { units: 3 } } });
    const { nodes, edges } = flow(doc);
    expect(nodes.find((n) => n.id === 'd')!.data.severity).toBe('error');
    expect(nodes.find((n) => n.id === 'd')!.data.shape).toBeNull();
    expect(edges.find((e) => e.source === 'conv1')?.data?.shape).toEqual([28, 28, 6]);
  });

  test('a cut edge loses shapes only downstream of the cut', () => {
    const doc = applyCommand(load('lenet'), { type: 'disconnect', edges: [makeEdge('pool2', 'flatten')] });
    const { nodes } = flow(doc);
    expect(nodes.find((n) => n.id === 'pool2')!.data.shape).toEqual([5, 5, 16]);
    expect(nodes.find((n) => n.id === 'fc1')!.data.shape).toBeNull();
  });

  test('a problem inside a block instance marks the instance', () => {
    const doc = load('resnet18');
    const broken = applyCommand(doc, { type: 'inBlock', block: 'Residual', command: { type: 'setParam', nodeId: 'conv2', key: 'filters', value: 32 } });
    const { nodes } = flow(broken);
    expect(nodes.find((n) => n.id === 'b2_res1')!.data.severity).toBe('error');
  });

  test("block instances get their block's input ports", () => {
    const { nodes } = flow(load('resnet18'));
    const res = nodes.find((n) => n.data.type === 'Residual')!;
    expect(res.data).toMatchObject({ block: true, known: true, inputs: ['input'] });
    expect(res.data.shape).not.toBeNull();
  });
});
