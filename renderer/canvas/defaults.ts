/** Parameters a new node starts with: only what its schema requires, with common textbook values. */
import type { ParamValue } from '../../contracts/index.js';
import { getLayer } from '../../graph-compiler/index.js';
import { fieldsOf, type Field } from '../inspector/schemaFields.js';

// Values a learner meets first in d2l; anything else falls back to the smallest valid choice.
const usual: Record<string, ParamValue> = {
  units: 64,
  filters: 32,
  kernelSize: 3,
  poolSize: 2,
  shape: [28, 28, 1],
  targetShape: [-1],
  numHeads: 4,
  keyDim: 16,
  patchSize: 4,
  dim: 64,
  inputDim: 1000,
  outputDim: 64,
  dims: [2, 1],
};

function fallback(f: Field): ParamValue {
  switch (f.type.kind) {
    case 'number':
      return 1;
    case 'numbers':
      return f.type.scalarAllowed ? 1 : Array.from({ length: f.type.length ?? 1 }, () => 1);
    case 'enum':
      return f.type.options[0] ?? '';
    case 'boolean':
      return false;
    case 'string':
      return '';
    case 'json':
      return null;
  }
}

export function defaultParams(type: string): Record<string, ParamValue> {
  const def = getLayer(type);
  if (!def) return {};
  const out: Record<string, ParamValue> = {};
  for (const f of fieldsOf(def.params)) {
    if (!f.required) continue;
    const usualValue = usual[f.key];
    out[f.key] = usualValue !== undefined && f.schema.safeParse(usualValue).success ? usualValue : fallback(f);
  }
  return out;
}
