import { expect, test } from 'vitest';
import { unreachableRule } from '../../../../graph-compiler/rules/unreachableRule.js';
import { input, ir } from './ir.js';

test('unreachableRule warns about nodes no Input reaches', () => {
  const g = ir([input, ['a', 'Dense', { units: 2 }], ['stray', 'Dense', { units: 2 }]], [['in', 'a']]);
  expect(unreachableRule.run(g)).toEqual([expect.objectContaining({ code: 'W_UNREACHABLE', severity: 'warning', nodeIds: ['stray'] })]);
});
