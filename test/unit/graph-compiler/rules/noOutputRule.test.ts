import { expect, test } from 'vitest';
import { noOutputRule } from '../../../../graph-compiler/rules/noOutputRule.js';
import { input, ir } from './ir.js';

test('noOutputRule: an empty graph has no output; a named output must exist', () => {
  expect(noOutputRule.run(ir([], []))).toEqual([expect.objectContaining({ code: 'E_NO_OUTPUT' })]);
  expect(noOutputRule.run(ir([input], [], ['logits']))).toEqual([expect.objectContaining({ code: 'E_UNKNOWN_OUTPUT' })]);
  expect(noOutputRule.run(ir([input], []))).toEqual([]);
});
