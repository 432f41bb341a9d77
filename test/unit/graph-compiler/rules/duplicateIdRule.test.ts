import { expect, test } from 'vitest';
import { duplicateIdRule } from '../../../../graph-compiler/rules/duplicateIdRule.js';
import { input, ir } from './ir.js';

test('duplicateIdRule blames the shared id', () => {
  const g = ir([input, ['d', 'Dense', { units: 2 }], ['d', 'Dense', { units: 3 }]], [['in', 'd']]);
  expect(duplicateIdRule.run(g)).toEqual([expect.objectContaining({ code: 'E_DUPLICATE_ID', severity: 'error', nodeIds: ['d'] })]);
  expect(duplicateIdRule.run(ir([input], []))).toEqual([]);
});
