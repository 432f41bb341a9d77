import { describe, expect, test } from 'vitest';
import { getLayer, layers } from '../../../../graph-compiler/index.js';
import { defaultParams } from '../../../../renderer/canvas/defaults.js';
import { fieldsOf, parseField, showField, type Field } from '../../../../renderer/inspector/schemaFields.js';

const field = (type: string, key: string): Field => fieldsOf(getLayer(type)!.params).find((f) => f.key === key)!;

describe('fields from a layer schema', () => {
  test('Conv2D: required ints, scalar-or-pair tuples, enums with defaults, booleans', () => {
    const byKey = Object.fromEntries(fieldsOf(getLayer('Conv2D')!.params).map((f) => [f.key, f]));
    expect(byKey.filters).toMatchObject({ required: true, type: { kind: 'number', integer: true } });
    expect(byKey.kernelSize).toMatchObject({ required: true, type: { kind: 'numbers', length: 2, scalarAllowed: true } });
    expect(byKey.padding).toMatchObject({ required: false, defaultValue: 'valid', type: { kind: 'enum', options: ['valid', 'same'] } });
    expect(byKey.useBias).toMatchObject({ required: false, defaultValue: true, type: { kind: 'boolean' } });
  });

  test('Input shape is a list of numbers of any length', () => {
    expect(field('Input', 'shape').type).toEqual({ kind: 'numbers', length: null, scalarAllowed: false });
  });

  test('parsing validates with the schema as the user types', () => {
    expect(parseField(field('Dense', 'units'), '64')).toEqual({ ok: true, value: 64 });
    expect(parseField(field('Dense', 'units'), '6.5')).toMatchObject({ ok: false });
    expect(parseField(field('Dense', 'units'), '-1')).toMatchObject({ ok: false });
    expect(parseField(field('Dense', 'units'), '')).toEqual({ ok: false, message: 'required' });
    expect(parseField(field('Conv2D', 'kernelSize'), '3')).toEqual({ ok: true, value: 3 });
    expect(parseField(field('Conv2D', 'kernelSize'), '3, 5')).toEqual({ ok: true, value: [3, 5] });
    expect(parseField(field('Conv2D', 'kernelSize'), '3, 5, 7')).toMatchObject({ ok: false });
    expect(parseField(field('Conv2D', 'strides'), '')).toEqual({ ok: true, value: undefined });
    expect(parseField(field('Input', 'shape'), '[28, 28, 1]')).toEqual({ ok: true, value: [28, 28, 1] });
    expect(parseField(field('Conv2D', 'padding'), 'sideways')).toMatchObject({ ok: false });
  });

  test('values show as the user would type them', () => {
    expect(showField([28, 28, 1])).toBe('28, 28, 1');
    expect(showField(undefined)).toBe('');
    expect(showField([1, 2], 'json')).toBe('[1,2]');
  });
});

describe('defaults for a new node', () => {
  test.each([...layers.keys()])('%s starts with parameters its schema accepts', (type) => {
    expect(getLayer(type)!.params.safeParse(defaultParams(type)).success).toBe(true);
  });

  test('textbook values where they fit', () => {
    expect(defaultParams('Dense')).toEqual({ units: 64 });
    expect(defaultParams('Conv2D')).toEqual({ filters: 32, kernelSize: 3 });
    expect(defaultParams('Flatten')).toEqual({});
  });
});
