import { describe, expect, test } from 'vitest';
import { reuseEdges, reuseNodes } from '../../../../renderer/canvas/reuse.js';
import type { LayerFlowNode, ShapeFlowEdge } from '../../../../renderer/canvas/toFlow.js';

const node = (id: string, over: Partial<LayerFlowNode> = {}, data: Partial<LayerFlowNode['data']> = {}): LayerFlowNode => ({
  id,
  type: 'layer',
  position: { x: 0, y: 0 },
  selected: false,
  data: { id, type: 'Dense', label: undefined, shape: [10], params: 110, severity: null, problems: [], inputs: ['input'], known: true, block: false, output: false, ...data },
  ...over,
});
const edge = (id: string, shape: number[] | null, over: Partial<ShapeFlowEdge> = {}): ShapeFlowEdge => ({
  id,
  type: 'shape',
  source: 'a',
  target: 'b',
  sourceHandle: 'out',
  targetHandle: 'in-0',
  data: { shape, port: 0, severity: null },
  ...over,
});

describe('reuseNodes', () => {
  test('keeps the previous object of a node that shows the same, with what React Flow measured', () => {
    const prev = [{ ...node('a'), measured: { width: 220, height: 60 } }, node('b')];
    const next = reuseNodes([node('a'), node('b')], prev);
    expect(next[0]).toBe(prev[0]);
    expect(next[1]).toBe(prev[1]);
  });

  test('a changed shape, position, selection or problem gives a fresh object that keeps the measured size', () => {
    const measured = { width: 220, height: 60 };
    const prev = [{ ...node('a'), measured }];
    for (const changed of [
      node('a', {}, { shape: [12] }),
      node('a', { position: { x: 10, y: 0 } }),
      node('a', { selected: true }),
      node('a', {}, { problems: ['Dense needs input'], severity: 'error' }),
      node('a', {}, { inputs: ['input 0', 'input 1'] }),
    ]) {
      const [n] = reuseNodes([changed], prev);
      expect(n).not.toBe(prev[0]);
      expect(n).toEqual({ ...changed, measured });
    }
  });

  test('when nothing changed, the previous array itself comes back (no update for React Flow)', () => {
    const prev = [node('a'), node('b')];
    expect(reuseNodes([node('a'), node('b')], prev)).toBe(prev);
    expect(reuseNodes([node('a')], prev)).toEqual([prev[0]]);
    expect(reuseNodes([node('b'), node('a')], prev)).not.toBe(prev);
    const edges = [edge('e', [10])];
    expect(reuseEdges([edge('e', [10])], edges)).toBe(edges);
    expect(reuseEdges([], edges)).toEqual([]);
  });

  test('new nodes pass through; removed ones are gone', () => {
    const b = node('b');
    expect(reuseNodes([b], [node('a')])).toEqual([b]);
    expect(reuseNodes([b], [node('a')])[0]).toBe(b);
  });
});

describe('reuseEdges', () => {
  test('keeps an unchanged edge, selection included', () => {
    const prev = [{ ...edge('e', [10]), selected: true }];
    expect(reuseEdges([edge('e', [10])], prev)[0]).toBe(prev[0]);
  });

  test('a changed shape gives a fresh edge that stays selected', () => {
    const prev = [{ ...edge('e', [10]), selected: true }];
    const [e] = reuseEdges([edge('e', [12])], prev);
    expect(e).not.toBe(prev[0]);
    expect(e!.data!.shape).toEqual([12]);
    expect(e!.selected).toBe(true);
  });

  test('an unknown shape (null) differs from a known one', () => {
    const prev = [edge('e', [10])];
    expect(reuseEdges([edge('e', null)], prev)[0]).not.toBe(prev[0]);
  });
});
