import { describe, expect, test } from 'vitest';
import { compile } from '../../../graph-compiler/index.js';

const residual = {
  params: { filters: 8, strides: 1 },
  inputs: ['x'],
  outputs: ['out'],
  nodes: [
    { id: 'x', type: 'Input' },
    { id: 'c1', type: 'Conv2D', params: { filters: '$filters', kernelSize: 3, padding: 'same', strides: '$strides', activation: 'relu' } },
    { id: 'c2', type: 'Conv2D', params: { filters: '$filters', kernelSize: 3, padding: 'same' } },
    { id: 'proj', type: 'Conv2D', params: { filters: '$filters', kernelSize: 1, strides: '$strides' } },
    { id: 'add', type: 'Add' },
    { id: 'out', type: 'Activation', params: { activation: 'relu' } },
  ],
  edges: [
    { source: 'x', target: 'c1' },
    { source: 'c1', target: 'c2' },
    { source: 'x', target: 'proj' },
    { source: 'c2', target: 'add', targetPort: 0 },
    { source: 'proj', target: 'add', targetPort: 1 },
    { source: 'add', target: 'out' },
  ],
};

const doc = (nodes: unknown[], edges: unknown[], blocks: Record<string, unknown>, outputs?: string[]) => ({
  format: 'layerlab-graph',
  version: 1,
  name: 'blocks',
  nodes,
  edges,
  blocks,
  ...(outputs ? { outputs } : {}),
});
const errors = (r: ReturnType<typeof compile>) => r.diagnostics.filter((d) => d.severity === 'error');

describe('block expansion', () => {
  const twoStages = doc(
    [
      { id: 'in', type: 'Input', params: { shape: [16, 16, 3] } },
      { id: 'r1', type: 'Residual' },
      { id: 'r2', type: 'Residual', params: { filters: 16, strides: 2 } },
      { id: 'gap', type: 'GlobalAveragePooling2D' },
    ],
    [
      { source: 'in', target: 'r1' },
      { source: 'r1', target: 'r2' },
      { source: 'r2', target: 'gap' },
    ],
    { Residual: residual },
  );

  test('each instance gets its own nodes `instance/inner`, params substituted, shapes from its incoming edge', () => {
    const r = compile(twoStages);
    expect(errors(r)).toEqual([]);
    const ids = r.lowered!.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['r1/c1', 'r1/c2', 'r1/proj', 'r1/add', 'r1/out', 'r2/c1', 'r2/out']));
    expect(ids).not.toContain('r1/x');
    const shape = (id: string) => r.report.nodes.find((n) => n.id === id)?.outputShape;
    expect(shape('r1/c1')).toEqual([16, 16, 8]); // block default filters 8, stride 1
    expect(shape('r2/c1')).toEqual([8, 8, 16]); // instance overrides: filters 16, stride 2
    expect(r.lowered!.nodes.find((n) => n.id === 'r2/c1')!.inputs).toEqual(['r1/out']);
    expect(r.lowered!.nodes.find((n) => n.id === 'gap')!.inputs).toEqual(['r2/out']);
  });

  test('the report lists each instance with its totals before its inner nodes', () => {
    const r = compile(twoStages).report;
    // r1: c1 3·3·3·8+8, c2 3·3·8·8+8, proj 3·8+8
    const r1 = 224 + 584 + 32;
    // r2: c1 3·3·8·16+16, c2 3·3·16·16+16, proj 8·16+16
    const r2 = 1168 + 2320 + 144;
    expect(r.nodes.find((n) => n.id === 'r1')).toMatchObject({ type: 'Residual', params: r1, trainableParams: r1, outputShape: [16, 16, 8] });
    expect(r.nodes.find((n) => n.id === 'r2')).toMatchObject({ type: 'Residual', params: r2, outputShape: [8, 8, 16] });
    expect(r.totalParams).toBe(r1 + r2);
    const ids = r.nodes.map((n) => n.id);
    expect(ids.indexOf('r1')).toBeLessThan(ids.indexOf('r1/c1'));
    expect(ids.indexOf('r2')).toBeLessThan(ids.indexOf('r2/c1'));
  });

  test('blocks nest: ids are outer/inner/leaf', () => {
    const twice = {
      params: { filters: 4 },
      inputs: ['x'],
      outputs: ['b'],
      nodes: [
        { id: 'x', type: 'Input' },
        { id: 'a', type: 'Residual', params: { filters: '$filters' } },
        { id: 'b', type: 'Residual', params: { filters: '$filters' } },
      ],
      edges: [
        { source: 'x', target: 'a' },
        { source: 'a', target: 'b' },
      ],
    };
    const r = compile(
      doc([{ id: 'in', type: 'Input', params: { shape: [8, 8, 2] } }, { id: 't', type: 'Twice', params: { filters: 6 } }], [{ source: 'in', target: 't' }], {
        Residual: residual,
        Twice: twice,
      }),
    );
    expect(errors(r)).toEqual([]);
    expect(r.report.outputs).toEqual([{ id: 't/b/out', shape: [8, 8, 6] }]);
    expect(r.report.nodes.find((n) => n.id === 't')).toMatchObject({ type: 'Twice', outputShape: [8, 8, 6] });
  });

  test('a block that uses itself through another is E_BLOCK_RECURSION naming the cycle', () => {
    const a = { inputs: ['x'], outputs: ['y'], nodes: [{ id: 'x', type: 'Input' }, { id: 'y', type: 'B' }], edges: [{ source: 'x', target: 'y' }] };
    const b = { inputs: ['x'], outputs: ['y'], nodes: [{ id: 'x', type: 'Input' }, { id: 'y', type: 'A' }], edges: [{ source: 'x', target: 'y' }] };
    const r = compile(doc([{ id: 'in', type: 'Input', params: { shape: [4] } }, { id: 'use', type: 'A' }], [{ source: 'in', target: 'use' }], { A: a, B: b }));
    expect(errors(r)).toEqual([expect.objectContaining({ code: 'E_BLOCK_RECURSION', nodeIds: ['use'] })]);
    expect(errors(r)[0]!.message).toContain('A → B → A');
  });

  test('an unknown $param, an unknown instance param and a missing instance input are errors on the instance', () => {
    const bad = { ...residual, nodes: residual.nodes.map((n) => (n.id === 'c2' ? { ...n, params: { filters: '$width', kernelSize: 3 } } : n)) };
    const r1 = compile(doc([{ id: 'in', type: 'Input', params: { shape: [8, 8, 2] } }, { id: 'r', type: 'Residual' }], [{ source: 'in', target: 'r' }], { Residual: bad }));
    expect(errors(r1)).toEqual([expect.objectContaining({ code: 'E_BAD_PARAMS', nodeIds: ['r'] })]);
    expect(errors(r1)[0]!.message).toContain('"$width"');
    const r2 = compile(doc([{ id: 'in', type: 'Input', params: { shape: [8, 8, 2] } }, { id: 'r', type: 'Residual', params: { depth: 3 } }], [{ source: 'in', target: 'r' }], { Residual: residual }));
    expect(errors(r2)).toEqual([expect.objectContaining({ code: 'E_BAD_PARAMS', nodeIds: ['r'] })]);
    const r3 = compile(doc([{ id: 'in', type: 'Input', params: { shape: [8, 8, 2] } }, { id: 'r', type: 'Residual' }], [], { Residual: residual }));
    expect(errors(r3)).toContainEqual(expect.objectContaining({ code: 'E_MISSING_INPUT', nodeIds: ['r'], port: 0 }));
  });

  test('a shape error inside an instance blames the inner node by its expanded id', () => {
    const noProj = {
      ...residual,
      nodes: residual.nodes.filter((n) => n.id !== 'proj'),
      edges: [...residual.edges.filter((e) => e.source !== 'proj' && e.target !== 'proj'), { source: 'x', target: 'add', targetPort: 1 }],
    };
    const r = compile(doc([{ id: 'in', type: 'Input', params: { shape: [8, 8, 3] } }, { id: 'r', type: 'Residual' }], [{ source: 'in', target: 'r' }], { Residual: noProj }));
    expect(errors(r)).toEqual([expect.objectContaining({ code: 'E_SHAPE_MISMATCH', nodeIds: ['r/add'], port: 1 })]);
    expect(errors(r)[0]!.message).toMatch(/^r\/add: Add: input 1 has shape \[8,8,3\] but input 0 has \[8,8,8\]/);
  });
});
