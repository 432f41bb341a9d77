import { expect, test } from 'vitest';
import { danglingEdgeRule } from '../../../../graph-compiler/rules/danglingEdgeRule.js';
import { input, ir } from './ir.js';

test('danglingEdgeRule names the missing end and blames the present one with its port', () => {
  const g = ir([input, ['add', 'Add']], [['in', 'add'], ['ghost', 'add', 1]]);
  const [d, ...rest] = danglingEdgeRule.run(g);
  expect(rest).toEqual([]);
  expect(d).toMatchObject({ code: 'E_DANGLING_EDGE', nodeIds: ['add'], port: 1 });
  expect(d!.message).toContain('"ghost"');
});
