/**
 * parseDocument checks nodes and edges with a fast hand-written path and falls back to the
 * contract's zod schema. Whatever the path, the outcome must be the schema's: same verdict,
 * same data, and messages that name the field.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { graphDocument } from '../../../contracts/index.js';
import { parseDocument } from '../../../graph-compiler/index.js';

const scalar = fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null), fc.constant(undefined));
const value = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), tie('v'), { maxKeys: 2 })) })).v;
const node = fc.record(
  {
    id: fc.oneof(fc.constantFrom('conv1', '_x', 'a.b-c', '1bad', '', 'sp ace'), value),
    type: fc.oneof(fc.constantFrom('Dense', ''), value),
    params: fc.oneof(fc.dictionary(fc.constantFrom('units', 'shape', '__proto__', 'constructor'), value, { maxKeys: 3 }), value),
    position: fc.oneof(fc.record({ x: fc.double(), y: fc.integer() }), value),
    label: value,
    extra: value,
  },
  { requiredKeys: [] },
);
const edge = fc.record({ source: fc.oneof(fc.constant('a'), value), target: fc.oneof(fc.constant('b'), value), targetPort: fc.oneof(fc.nat(3), fc.integer(), fc.double(), value) }, { requiredKeys: [] });

const strip = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('parseDocument agrees with the contract schema', () => {
  test('on random nodes and edges', () => {
    fc.assert(
      fc.property(fc.array(node, { maxLength: 3 }), fc.array(edge, { maxLength: 3 }), (nodes, edges) => {
        const doc = { format: 'layerlab-graph', version: 1, nodes, edges };
        const ours = parseDocument(doc);
        const theirs = graphDocument.safeParse(doc);
        expect(ours.ok).toBe(theirs.success);
        if (ours.ok && theirs.success) expect(strip(ours.document)).toEqual(strip(theirs.data));
      }),
      { numRuns: 3000, examples: [[[{ id: 'conv1', type: 'Dense', params: JSON.parse('{"__proto__": []}') as Record<string, unknown> }], []]] },
    );
  });

  test('errors name the node field', () => {
    const r = parseDocument({ format: 'layerlab-graph', version: 1, nodes: [{ id: 'ok', type: 'Dense' }, { id: '1bad', type: 'Dense' }], edges: [{ source: 'a', target: 'b', targetPort: -1 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => [d.code, d.message.split(':')[0]])).toEqual([
      ['E_FORMAT', 'nodes.1.id'],
      ['E_FORMAT', 'edges.0.targetPort'],
    ]);
  });

  test('a param nested deeper than the stack allows is an error, not a crash', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 20000; i++) deep = [deep];
    const r = parseDocument({ format: 'layerlab-graph', version: 1, nodes: [{ id: 'a', type: 'Dense', params: { units: deep } }], edges: [] });
    expect(r.ok).toBe(false);
  });
});
