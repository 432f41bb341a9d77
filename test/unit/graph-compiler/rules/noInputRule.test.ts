import { expect, test } from 'vitest';
import { noInputRule } from '../../../../graph-compiler/rules/noInputRule.js';
import { input, ir } from './ir.js';

test('noInputRule fires on a graph without an Input node', () => {
  expect(noInputRule.run(ir([['d', 'Dense', { units: 2 }]], []))).toEqual([expect.objectContaining({ code: 'E_NO_INPUT', nodeIds: [] })]);
  expect(noInputRule.run(ir([input], []))).toEqual([]);
});
