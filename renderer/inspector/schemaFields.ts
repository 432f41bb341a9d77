/**
 * Reads a layer's zod params schema into form fields, so the inspector and new-node defaults
 * follow the compiler's one definition of each layer instead of a second list here.
 */
import type { z } from 'zod';
import type { ParamValue } from '../../contracts/index.js';

export type FieldKind =
  | { readonly kind: 'number'; readonly integer: boolean }
  | { readonly kind: 'enum'; readonly options: readonly string[] }
  | { readonly kind: 'boolean' }
  /** A scalar or a fixed-length tuple of numbers (kernel sizes, strides). */
  | { readonly kind: 'numbers'; readonly length: number | null; readonly scalarAllowed: boolean }
  | { readonly kind: 'string' }
  | { readonly kind: 'json' };

export interface Field {
  readonly key: string;
  readonly required: boolean;
  readonly defaultValue: ParamValue | undefined;
  readonly type: FieldKind;
  readonly schema: z.ZodType;
}

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly defaultValue?: unknown;
  readonly shape?: Record<string, z.ZodType>;
  readonly entries?: Record<string, string>;
  readonly options?: readonly z.ZodType[];
  readonly items?: readonly z.ZodType[];
  readonly element?: z.ZodType;
  readonly checks?: readonly { readonly _zod: { readonly def: { readonly check: string; readonly format?: string } } }[];
}

// zod 4 keeps each schema's definition on `_zod.def`; this is its documented introspection surface.
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function kindOf(s: z.ZodType): FieldKind {
  const d = defOf(s);
  switch (d.type) {
    case 'number':
      return { kind: 'number', integer: (d.checks ?? []).some((c) => c._zod.def.format === 'safeint' || c._zod.def.format === 'int32') };
    case 'enum':
      return { kind: 'enum', options: Object.values(d.entries ?? {}) };
    case 'boolean':
      return { kind: 'boolean' };
    case 'string':
      return { kind: 'string' };
    case 'tuple':
      return (d.items ?? []).every((i) => defOf(i).type === 'number') ? { kind: 'numbers', length: d.items!.length, scalarAllowed: false } : { kind: 'json' };
    case 'array':
      return d.element && defOf(d.element).type === 'number' ? { kind: 'numbers', length: null, scalarAllowed: false } : { kind: 'json' };
    case 'union': {
      const kinds = (d.options ?? []).map(kindOf);
      const scalar = kinds.some((k) => k.kind === 'number');
      const list = kinds.find((k) => k.kind === 'numbers');
      if (scalar && list?.kind === 'numbers' && kinds.length === 2) return { kind: 'numbers', length: list.length, scalarAllowed: true };
      return { kind: 'json' };
    }
    default:
      return { kind: 'json' };
  }
}

/** One field per key of an object schema, in declaration order. */
export function fieldsOf(schema: z.ZodType): Field[] {
  const d = defOf(schema);
  if (d.type !== 'object' || !d.shape) return [];
  return Object.entries(d.shape).map(([key, s]) => {
    let inner = s;
    let required = true;
    let defaultValue: ParamValue | undefined;
    for (;;) {
      const id = defOf(inner);
      if (id.type === 'default' || id.type === 'prefault') {
        required = false;
        defaultValue = id.defaultValue as ParamValue;
        inner = id.innerType!;
      } else if (id.type === 'optional' || id.type === 'nullable') {
        required = false;
        inner = id.innerType!;
      } else break;
    }
    return { key, required, defaultValue, type: kindOf(inner), schema: s };
  });
}

/** Text the user types → a value for the field, or the reason it is not one. */
export function parseField(
  field: Field,
  text: string,
  /** Inside a block definition, `$name` refers to one of the block's parameters. */
  allowRefs = false,
): { ok: true; value: ParamValue | undefined } | { ok: false; message: string } {
  const t = text.trim();
  if (t === '') return field.required ? { ok: false, message: 'required' } : { ok: true, value: undefined };
  if (allowRefs && /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(t)) return { ok: true, value: t };
  let value: unknown;
  switch (field.type.kind) {
    case 'number':
      value = Number(t);
      if (!Number.isFinite(value)) return { ok: false, message: 'a number' };
      break;
    case 'numbers': {
      const parts = t.replace(/^\[|\]$/g, '').split(/[\s,×x]+/).filter(Boolean).map(Number);
      if (parts.some((p) => !Number.isFinite(p))) return { ok: false, message: 'numbers separated by commas' };
      value = parts.length === 1 && field.type.scalarAllowed ? parts[0] : parts;
      break;
    }
    case 'enum':
    case 'string':
      value = t;
      break;
    case 'boolean':
      value = t === 'true';
      break;
    case 'json':
      try {
        value = JSON.parse(t);
      } catch {
        return { ok: false, message: 'JSON' };
      }
  }
  const r = field.schema.safeParse(value);
  if (!r.success) return { ok: false, message: r.error.issues[0]?.message ?? 'invalid' };
  return { ok: true, value: value as ParamValue };
}

/** A value as the user edits it. */
export function showField(v: ParamValue | undefined, kind?: FieldKind['kind']): string {
  if (v === undefined || v === null) return '';
  if (kind === 'json') return JSON.stringify(v);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ');
  return String(v);
}
