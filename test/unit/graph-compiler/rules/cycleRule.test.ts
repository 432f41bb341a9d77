import { expect, test } from 'vitest';
import { cycleRule } from '../../../../graph-compiler/rules/cycleRule.js';
import { input, ir } from './ir.js';

test('cycleRule reports the cycle\'s nodes in order', () => {
  const g = ir(
    [input, ['add', 'Add'], ['a', 'Dense', { units: 4 }], ['b', 'Dense', { units: 4 }]],
    [['in', 'add', 0], ['b', 'add', 1], ['add', 'a'], ['a', 'b']],
  );
  const [d, ...rest] = cycleRule.run(g);
  expect(rest).toEqual([]);
  expect(d).toMatchObject({ code: 'E_CYCLE', nodeIds: ['add', 'a', 'b'] });
  expect(d!.message).toContain('add → a → b → add');
});
