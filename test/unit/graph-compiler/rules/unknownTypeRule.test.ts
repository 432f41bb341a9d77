import { expect, test } from 'vitest';
import { unknownTypeRule } from '../../../../graph-compiler/rules/unknownTypeRule.js';
import { input, ir } from './ir.js';

test('unknownTypeRule blames the node and suggests a close type', () => {
  const [d, ...rest] = unknownTypeRule.run(ir([input, ['c', 'conv2d']], [['in', 'c']]));
  expect(rest).toEqual([]);
  expect(d).toMatchObject({ code: 'E_UNKNOWN_TYPE', nodeIds: ['c'] });
  expect(d!.message).toContain('did you mean "Conv2D"?');
});
