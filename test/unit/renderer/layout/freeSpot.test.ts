import { describe, expect, test } from 'vitest';
import { NODE_WIDTH } from '../../../../renderer/canvas/nodeSize.js';
import { freeSpot } from '../../../../renderer/layout/freeSpot.js';

describe('placing a new node', () => {
  test('an empty spot is used as asked', () => {
    expect(freeSpot({ nodes: [{ position: { x: 0, y: 0 } }] }, { x: 0, y: 300.4 })).toEqual({ x: 0, y: 300 });
  });

  test('a taken spot moves right until nothing is covered', () => {
    const nodes = [{ position: { x: 0, y: 110 } }, { position: { x: NODE_WIDTH + 40, y: 120 } }];
    const p = freeSpot({ nodes }, { x: 0, y: 100 });
    expect(p.y).toBe(100);
    for (const n of nodes) expect(Math.abs(n.position.x - p.x) >= NODE_WIDTH || Math.abs(n.position.y - p.y) >= 90).toBe(true);
  });
});
