import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { applyCommand, freshId, makeEdge, outputsOf, renameProblem, type Command } from '../../../../renderer/document/commands.js';
import { execute, redo, startHistory, undo, type History } from '../../../../renderer/document/history.js';

const lenet = JSON.parse(readFileSync(new URL('../../../../templates/lenet.layerlab.json', import.meta.url), 'utf8')) as GraphDocument;
const ids = (d: GraphDocument) => d.nodes.map((n) => n.id);

describe('applyCommand', () => {
  test('addNode appends a node and refuses a duplicate id', () => {
    const next = applyCommand(lenet, { type: 'addNode', node: { id: 'drop1', type: 'Dropout', params: { rate: 0.5 } } });
    expect(ids(next).at(-1)).toBe('drop1');
    expect(applyCommand(next, { type: 'addNode', node: { id: 'drop1', type: 'Dense' } })).toBe(next);
    expect(lenet.nodes.some((n) => n.id === 'drop1')).toBe(false);
  });

  test('remove drops the nodes, every edge touching them and their outputs entry', () => {
    const next = applyCommand(lenet, { type: 'remove', ids: ['logits'] });
    expect(ids(next)).not.toContain('logits');
    expect(next.edges.some((e) => e.target === 'logits')).toBe(false);
    expect(next.outputs).toEqual([]);
  });

  test('remove also drops listed edges between nodes that stay', () => {
    const next = applyCommand(lenet, { type: 'remove', ids: [], edges: [makeEdge('conv1', 'pool1')] });
    expect(next.nodes).toHaveLength(lenet.nodes.length);
    expect(next.edges).toHaveLength(lenet.edges.length - 1);
    expect(compile(next).report.diagnostics.map((d) => d.code)).toContain('E_MISSING_INPUT');
  });

  test('connect into an occupied port replaces the edge that was there', () => {
    const next = applyCommand(lenet, { type: 'connect', edge: makeEdge('input', 'pool1') });
    expect(next.edges.filter((e) => e.target === 'pool1')).toEqual([{ source: 'input', target: 'pool1' }]);
    // pool1 now pools the 28×28×1 input directly.
    expect(compile(next).report.nodes.find((n) => n.id === 'pool1')?.outputShape).toEqual([14, 14, 1]);
  });

  test('connect ignores self-loops and unknown nodes', () => {
    expect(applyCommand(lenet, { type: 'connect', edge: makeEdge('fc1', 'fc1') })).toBe(lenet);
    expect(applyCommand(lenet, { type: 'connect', edge: makeEdge('nope', 'fc1') })).toBe(lenet);
  });

  test('setParam changes one parameter and undefined removes it', () => {
    const wider = applyCommand(lenet, { type: 'setParam', nodeId: 'conv1', key: 'filters', value: 8 });
    expect(compile(wider).report.nodes.find((n) => n.id === 'conv1')?.outputShape).toEqual([28, 28, 8]);
    const valid = applyCommand(lenet, { type: 'setParam', nodeId: 'conv1', key: 'padding', value: undefined });
    expect(valid.nodes.find((n) => n.id === 'conv1')?.params).not.toHaveProperty('padding');
    expect(compile(valid).report.nodes.find((n) => n.id === 'conv1')?.outputShape).toEqual([24, 24, 6]);
  });

  test('applyPatch insertNode splices a node into an edge', () => {
    const next = applyCommand(lenet, {
      type: 'applyPatch',
      patch: [{ op: 'insertNode', node: { id: 'drop', type: 'Dropout', params: { rate: 0.5 } }, between: { source: 'fc1', target: 'fc2' } }],
    });
    expect(next.edges).toContainEqual({ source: 'fc1', target: 'drop' });
    expect(next.edges).toContainEqual({ source: 'drop', target: 'fc2' });
    expect(next.edges).not.toContainEqual({ source: 'fc1', target: 'fc2' });
    // It takes fc2's place; fc2 and logits move one row down.
    const y = (id: string) => next.nodes.find((n) => n.id === id)?.position?.y;
    expect([y('fc1'), y('drop'), y('fc2'), y('logits')]).toEqual([660, 770, 880, 990]);
  });

  test('applyPatch removeNode with reconnect bridges the gap', () => {
    const next = applyCommand(lenet, { type: 'applyPatch', patch: [{ op: 'removeNode', nodeId: 'fc2', reconnect: true }] });
    expect(next.edges).toContainEqual({ source: 'fc1', target: 'logits' });
    expect(compile(next).report.valid).toBe(true);
  });

  test('batch applies its commands in order as one document change', () => {
    const next = applyCommand(lenet, {
      type: 'batch',
      commands: [
        { type: 'addNode', node: { id: 'd', type: 'Dropout' } },
        { type: 'connect', edge: makeEdge('fc1', 'd') },
      ],
    });
    expect(next.edges).toContainEqual({ source: 'fc1', target: 'd' });
    const h = undo(execute(startHistory(lenet), { type: 'batch', commands: [{ type: 'addNode', node: { id: 'd', type: 'Dropout' } }, { type: 'connect', edge: makeEdge('fc1', 'd') }] }));
    expect(h.present).toBe(lenet);
  });

  test('rename changes the id in nodes, edges and outputs, and refuses bad or taken ids', () => {
    const next = applyCommand(lenet, { type: 'rename', from: 'logits', to: 'scores' });
    expect(next.outputs).toEqual(['scores']);
    expect(next.edges).toContainEqual({ source: 'fc2', target: 'scores' });
    expect(compile(next).report.valid).toBe(true);
    expect(applyCommand(lenet, { type: 'rename', from: 'logits', to: 'fc1' })).toBe(lenet);
    expect(applyCommand(lenet, { type: 'rename', from: 'logits', to: '1x' })).toBe(lenet);
    expect(renameProblem(lenet, 'logits', 'fc1')).toBe('fc1 is taken');
  });

  test('setOutputs names the outputs, drops unknown ids, and undefined falls back to the sinks', () => {
    const two = applyCommand(lenet, { type: 'setOutputs', outputs: ['fc2', 'logits', 'nope'] });
    expect(two.outputs).toEqual(['fc2', 'logits']);
    expect(compile(two).report.outputs.map((o) => o.shape)).toEqual([[84], [10]]);
    const sinks = applyCommand(lenet, { type: 'setOutputs', outputs: undefined });
    expect(sinks).not.toHaveProperty('outputs');
    expect(outputsOf(sinks)).toEqual(['logits']);
  });

  test('setLabel sets and clears a label; setName renames the document', () => {
    const labelled = applyCommand(lenet, { type: 'setLabel', nodeId: 'conv1', label: 'C1' });
    expect(labelled.nodes.find((n) => n.id === 'conv1')?.label).toBe('C1');
    const cleared = applyCommand(labelled, { type: 'setLabel', nodeId: 'conv1', label: undefined });
    expect(cleared.nodes.find((n) => n.id === 'conv1')).not.toHaveProperty('label');
    expect(applyCommand(lenet, { type: 'setName', name: 'Mine' }).name).toBe('Mine');
    expect(applyCommand(lenet, { type: 'setName', name: lenet.name })).toBe(lenet);
  });

  test('freshId counts up past taken ids', () => {
    expect(freshId(lenet, 'Conv2D')).toBe('conv2d1');
    const d = applyCommand(lenet, { type: 'addNode', node: { id: 'conv2d1', type: 'Conv2D' } });
    expect(freshId(d, 'Conv2D')).toBe('conv2d2');
  });
});

describe('history', () => {
  test('a run of edits with one merge key undoes as one step', () => {
    let h = startHistory(lenet);
    h = execute(h, { type: 'setParam', nodeId: 'fc1', key: 'units', value: 1 }, 'fc1.units');
    h = execute(h, { type: 'setParam', nodeId: 'fc1', key: 'units', value: 12 }, 'fc1.units');
    h = execute(h, { type: 'setParam', nodeId: 'fc1', key: 'units', value: 128 }, 'fc1.units');
    expect(h.past).toHaveLength(1);
    expect(undo(h).present).toBe(lenet);
  });

  test('a new command after undo drops the redo branch', () => {
    let h = execute(startHistory(lenet), { type: 'remove', ids: ['fc2'] });
    h = undo(h);
    expect(h.future).toHaveLength(1);
    h = execute(h, { type: 'remove', ids: ['fc1'] });
    expect(h.future).toHaveLength(0);
    expect(redo(h)).toBe(h);
  });
});

// Random command sequences over the LeNet document; ids come from a small pool so commands hit real nodes.
const idPool = [...lenet.nodes.map((n) => n.id), 'x1', 'x2', 'x3'];
const anyId = fc.constantFrom(...idPool);
const simple: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ type: fc.constant('addNode' as const), node: fc.record({ id: anyId, type: fc.constantFrom('Dense', 'Dropout', 'Flatten') }) }),
  fc.record({ type: fc.constant('remove' as const), ids: fc.array(anyId, { maxLength: 2 }) }),
  fc.record({
    type: fc.constant('moveNodes' as const),
    positions: fc.dictionary(anyId, fc.record({ x: fc.integer({ min: -500, max: 500 }), y: fc.integer({ min: -500, max: 500 }) }), { maxKeys: 3 }),
  }),
  fc.record({ type: fc.constant('connect' as const), edge: fc.tuple(anyId, anyId, fc.nat(2)).map(([s, t, p]) => makeEdge(s, t, p)) }),
  fc.record({ type: fc.constant('disconnect' as const), edges: fc.array(fc.tuple(anyId, anyId).map(([s, t]) => makeEdge(s, t)), { maxLength: 2 }) }),
  fc.record({ type: fc.constant('rename' as const), from: anyId, to: anyId }),
  fc.record({ type: fc.constant('setLabel' as const), nodeId: anyId, label: fc.option(fc.constantFrom('A', 'B'), { nil: undefined }) }),
  fc.record({ type: fc.constant('setName' as const), name: fc.constantFrom('LeNet-5', 'Other') }),
  fc.record({ type: fc.constant('setOutputs' as const), outputs: fc.option(fc.array(anyId, { maxLength: 2 }), { nil: undefined }) }),
  fc.record({ type: fc.constant('setParam' as const), nodeId: anyId, key: fc.constantFrom('units', 'rate'), value: fc.option(fc.integer({ min: 1, max: 64 }), { nil: undefined }) }),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: simple, weight: 4 },
  { arbitrary: fc.array(simple, { maxLength: 3 }).map((commands): Command => ({ type: 'batch', commands })), weight: 1 },
);

describe('history properties', () => {
  test('undo-all returns the first document and redo-all the last', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, fc.option(fc.constantFrom('a', 'b'), { nil: undefined })), { maxLength: 40 }), (steps) => {
        let h: History = startHistory(lenet);
        for (const [cmd, key] of steps) h = execute(h, cmd, key);
        const last = h.present;
        while (h.past.length) h = undo(h);
        expect(h.present).toEqual(lenet);
        while (h.future.length) h = redo(h);
        expect(h.present).toEqual(last);
      }),
      { numRuns: 300 },
    );
  });

  test('every step keeps edges pointing at existing nodes when they did before', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 30 }), (cmds) => {
        const doc = cmds.reduce(applyCommand, lenet);
        const known = new Set(doc.nodes.map((n) => n.id));
        expect(doc.edges.filter((e) => !known.has(e.source) || !known.has(e.target))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
