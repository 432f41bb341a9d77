import { expect, test } from 'vitest';
import { badParamsRule } from '../../../../graph-compiler/rules/badParamsRule.js';
import { input, ir } from './ir.js';

test('badParamsRule gives one message per bad field, naming the field', () => {
  const g = ir([input, ['c', 'Conv2D', { filters: -1, kernelSize: 3, padding: 'full' }]], [['in', 'c']]);
  const ds = badParamsRule.run(g);
  expect(ds.map((d) => [d.code, d.nodeIds])).toEqual([
    ['E_BAD_PARAMS', ['c']],
    ['E_BAD_PARAMS', ['c']],
  ]);
  expect(ds[0]!.message).toMatch(/^c \(Conv2D\): param "filters": /);
  expect(ds[1]!.message).toMatch(/^c \(Conv2D\): param "padding": /);
});
