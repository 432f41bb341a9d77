import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { copy, paste } from '../../../../renderer/document/clipboard.js';
import { applyCommand } from '../../../../renderer/document/commands.js';

const lenet = JSON.parse(readFileSync(new URL('../../../../templates/lenet.layerlab.json', import.meta.url), 'utf8')) as GraphDocument;

describe('copy and paste', () => {
  test('a copied chain pastes with fresh ids, its inner edges, and an offset', () => {
    const clip = copy(lenet, ['fc1', 'fc2'])!;
    expect(clip.edges).toEqual([{ source: 'fc1', target: 'fc2' }]);
    const { command, ids } = paste(lenet, clip);
    expect(ids).toEqual(['dense1', 'dense2']);
    const next = applyCommand(lenet, command);
    expect(next.nodes).toHaveLength(lenet.nodes.length + 2);
    expect(next.edges).toContainEqual({ source: 'dense1', target: 'dense2' });
    expect(next.nodes.find((n) => n.id === 'dense1')?.position).toEqual({ x: 40, y: 700 });
    expect(next.nodes.find((n) => n.id === 'dense1')?.params).toEqual({ units: 120, activation: 'sigmoid' });
    // The copy's first node has no input yet: that is the one error.
    expect(compile(next).report.diagnostics.filter((d) => d.severity === 'error').map((d) => d.nodeIds)).toEqual([['dense1']]);
  });

  test('pasting twice never reuses an id', () => {
    const clip = copy(lenet, ['conv1'])!;
    const once = applyCommand(lenet, paste(lenet, clip).command);
    const second = paste(once, clip);
    expect(second.ids).toEqual(['conv2d2']);
  });

  test('nothing selected copies nothing', () => {
    expect(copy(lenet, [])).toBeNull();
  });
});
