import { describe, expect, test } from 'vitest';
import { inputArityRule } from '../../../../graph-compiler/rules/inputArityRule.js';
import { input, ir } from './ir.js';

describe('inputArityRule', () => {
  test('missing input: Add with one edge blames port 1', () => {
    expect(inputArityRule.run(ir([input, ['add', 'Add']], [['in', 'add']]))).toEqual([
      expect.objectContaining({ code: 'E_MISSING_INPUT', nodeIds: ['add'], port: 1 }),
    ]);
  });

  test('too many inputs: a second edge into Dense blames port 1', () => {
    const g = ir([input, ['b', 'Dense', { units: 2 }], ['d', 'Dense', { units: 2 }]], [['in', 'b'], ['in', 'd'], ['b', 'd']]);
    expect(inputArityRule.run(g)).toEqual([expect.objectContaining({ code: 'E_TOO_MANY_INPUTS', nodeIds: ['d'], port: 1 })]);
  });
});
