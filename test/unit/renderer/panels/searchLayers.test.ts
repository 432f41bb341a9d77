import { describe, expect, test } from 'vitest';
import { layers } from '../../../../graph-compiler/index.js';
import { searchLayers } from '../../../../renderer/panels/searchLayers.js';

const types = (groups: ReturnType<typeof searchLayers>) => groups.flatMap(([, items]) => items.map((i) => i.type));

describe('palette search', () => {
  test('an empty query lists every layer once, grouped by its category', () => {
    const groups = searchLayers('');
    expect(types(groups).sort()).toEqual([...layers.keys()].sort());
    for (const [category, items] of groups) for (const i of items) expect(layers.get(i.type)!.category).toBe(category);
  });

  test('every word must match the type, category or description', () => {
    expect(types(searchLayers('conv 2-d'))).toContain('Conv2D');
    expect(types(searchLayers('pool global'))).toEqual(expect.arrayContaining(['GlobalAveragePooling2D', 'GlobalMaxPooling2D']));
    expect(types(searchLayers('pool global'))).not.toContain('MaxPooling2D');
    expect(searchLayers('zzzz')).toEqual([]);
  });

  test("the document's blocks come first", () => {
    const groups = searchLayers('', { Res: { inputs: ['x'], outputs: ['y'], nodes: [], edges: [], description: 'a residual block' } });
    expect(groups[0]).toEqual(['blocks', [{ type: 'Res', doc: 'a residual block' }]]);
  });
});
