/** Python identifiers and literals for the generated modules. */
import { describe, expect, test } from 'vitest';
import type { LoweredModel } from '../../../../graph-compiler/index.js';
import { docText, py, pythonNames } from '../../../../runtime/export/python.js';

const model = (ids: string[]) => ({ name: 'm', nodes: ids.map((id) => ({ id, className: 'Dense', config: {}, inputs: [], outputShape: [1] })), inputs: [], outputs: [] }) as unknown as LoweredModel;

describe('generated Python', () => {
  test('node ids become unique identifiers that shadow no keyword, builtin the module uses, or nn.Module attribute', () => {
    const names = pythonNames(model(['stage2/conv1', 'stage2_conv1', '1x1', 'class', 'forward', 'training', 'x', 'conv-1', 'ok']));
    expect([...names.values()]).toEqual(['stage2_conv1', 'stage2_conv1_2', 'n_1x1', 'class_', 'forward_', 'training_', 'x_', 'conv_1', 'ok']);
    for (const n of names.values()) expect(n).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  });

  test('literals: tuples for arrays (one-element ones keep their comma), Python booleans and None', () => {
    expect(py([3, 3])).toBe('(3, 3)');
    expect(py([7])).toBe('(7,)');
    expect(py([[1, 0], [2, 1]])).toBe('((1, 0), (2, 1))');
    expect(py(true)).toBe('True');
    expect(py(null)).toBe('None');
    expect(py(0.001)).toBe('0.001');
    expect(py('same')).toBe('"same"');
    expect(() => py(Number.NaN)).toThrow(/NaN/);
  });

  test('docstring text cannot close the docstring or start an escape', () => {
    expect(docText('a """b""" c\\d')).toBe("a '''b''' c/d");
  });
});
