/**
 * compile() takes anything users (or attackers) put in a file: thousands of random and mutated
 * documents must never make it throw, must always give a model or an error, must not mutate
 * their input and must never pollute Object.prototype.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile, layers } from '../../../graph-compiler/index.js';

const templates = ['lenet', 'mlp', 'softmax-regression', 'batchnorm-lenet', 'rnn', 'nin', 'transformer-encoder', 'vit-tiny'].map(
  (n) => JSON.parse(readFileSync(`templates/${n}.layerlab.json`, 'utf8')) as Record<string, unknown>,
);
const layerTypes = [...layers.keys()];
const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const key = fc.oneof(fc.constantFrom(...hostileKeys), fc.string({ maxLength: 8 }));
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    fc.integer({ min: -3, max: 70 }),
    fc.constantFrom(0, -1, 1e9, Number.MAX_SAFE_INTEGER, 0.5, 'same', 'valid', 'relu', 'softmax', '$filters', '$__proto__', '', null, true),
    fc.string({ maxLength: 6 }),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 }),
  ),
})).v;

type Doc = Record<string, unknown> & { nodes: Record<string, unknown>[]; edges: Record<string, unknown>[] };
const ids = (d: Doc) => d.nodes.map((n) => (n !== null && typeof n === 'object' ? n['id'] : n));

/** One random edit of a document: the kinds of damage hand-edited files and merges produce. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('dropNode'), i: fc.nat() }),
  fc.record({ kind: fc.constant('dropEdge'), i: fc.nat() }),
  fc.record({ kind: fc.constant('setParam'), i: fc.nat(), k: fc.oneof(key, fc.constantFrom('units', 'filters', 'kernelSize', 'strides', 'padding', 'shape', 'activation', 'axis', 'targetShape')), v: value }),
  fc.record({ kind: fc.constant('setType'), i: fc.nat(), t: fc.oneof(fc.constantFrom(...layerTypes, 'Residual', '__proto__', 'constructor'), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('addEdge'), a: fc.nat(), b: fc.nat(), port: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) }),
  fc.record({ kind: fc.constant('dupNode'), i: fc.nat() }),
  fc.record({ kind: fc.constant('setTop'), k: fc.oneof(key, fc.constantFrom('outputs', 'blocks', 'version', 'nodes', 'edges', 'training')), v: value }),
  fc.record({ kind: fc.constant('rawParams'), i: fc.nat(), v: value }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(doc: Doc, m: Mutation): Doc {
  const d = structuredClone(doc);
  // An earlier mutation may have replaced nodes or edges with a non-array; later ones then only touch the top level.
  if ((!Array.isArray(d.nodes) || !Array.isArray(d.edges)) && m.kind !== 'setTop') return d;
  const pick = <T>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
  const pickNode = (i: number) => {
    const n = pick(d.nodes, i);
    return n !== null && typeof n === 'object' && !Array.isArray(n) ? n : undefined;
  };
  switch (m.kind) {
    case 'dropNode':
      d.nodes.splice(m.i % Math.max(1, d.nodes.length), 1);
      break;
    case 'dropEdge':
      d.edges.splice(m.i % Math.max(1, d.edges.length), 1);
      break;
    case 'setParam': {
      const n = pickNode(m.i);
      if (n) n['params'] = { ...((n['params'] as object) ?? {}), [m.k]: m.v };
      break;
    }
    case 'setType': {
      const n = pickNode(m.i);
      if (n) n['type'] = m.t;
      break;
    }
    case 'addEdge':
      d.edges.push({ source: pick(ids(d), m.a), target: pick(ids(d), m.b), ...(m.port === undefined ? {} : { targetPort: m.port }) });
      break;
    case 'dupNode': {
      const n = pickNode(m.i);
      if (n) d.nodes.push(structuredClone(n));
      break;
    }
    case 'setTop':
      Object.defineProperty(d, m.k, { value: m.v, enumerable: true, configurable: true, writable: true });
      break;
    case 'rawParams': {
      const n = pickNode(m.i);
      if (n) n['params'] = m.v;
      break;
    }
  }
  return d;
}

function check(input: unknown): void {
  const before = JSON.stringify(input);
  const r = compile(input);
  expect(JSON.stringify(input)).toBe(before);
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  const failed = r.diagnostics.some((d) => d.severity === 'error');
  expect(failed || r.lowered !== null).toBe(true);
  expect(r.report.valid).toBe(!failed);
  if (r.lowered) expect(r.lowered.nodes.length).toBeGreaterThan(0);
}

describe('compile() on hostile input', () => {
  test('anything JSON can hold, including __proto__/constructor keys', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), value), check), { numRuns: 1500 });
  });

  test('JSON text, valid or not', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string(), fc.constant('{"format":"layerlab-graph","version":1,"nodes":[],"edges":[],"__proto__":{"polluted":1}}')), check),
      { numRuns: 1000 },
    );
  });

  test('templates with one to five random mutations', () => {
    fc.assert(
      fc.property(fc.nat({ max: templates.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), (t, ms) => {
        check(ms.reduce((d, m) => mutate(d, m), templates[t] as Doc));
      }),
      { numRuns: 2500 },
    );
  });

  test('random graphs over the whole layer catalogue', () => {
    const node = fc.record({
      type: fc.constantFrom(...layerTypes),
      params: fc.dictionary(fc.constantFrom('units', 'filters', 'kernelSize', 'shape', 'padding', 'strides', 'numHeads', 'keyDim', 'targetShape', 'axis', 'rate', 'index', 'patchSize', 'dim', 'layer', 'inputDim', 'outputDim', 'dims', '__proto__'), value, { maxKeys: 4 }),
    });
    const graph = fc
      .tuple(fc.array(node, { minLength: 1, maxLength: 8 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.option(fc.nat({ max: 3 }), { nil: undefined })), { maxLength: 12 }))
      .map(([nodes, edges]) => ({
        format: 'layerlab-graph',
        version: 1,
        nodes: [{ id: 'in', type: 'Input', params: { shape: [8, 8, 3] } }, ...nodes.map((n, i) => ({ id: `n${i}`, ...n }))],
        edges: edges.map(([a, b, p]) => ({ source: a % 2 ? 'in' : `n${a % nodes.length}`, target: `n${b % nodes.length}`, ...(p === undefined ? {} : { targetPort: p }) })),
      }));
    fc.assert(fc.property(graph, check), { numRuns: 2500 });
  });
});
