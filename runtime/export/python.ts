/** Helpers shared by the generated Python modules (PyTorch and Keras): names and literals. */
import type { LoweredModel } from '../../graph-compiler/index.js';

const keywords = new Set(
  ('False None True and as assert async await break class continue def del elif else except finally for from global if import in is ' +
    'lambda nonlocal not or pass raise return try while with yield match case _ type').split(' '),
);
/** Names the generated code itself uses, plus nn.Module / keras attributes a node id could shadow. */
const taken = new Set(
  ('self np os torch nn F tf keras layers load build Model WEIGHTS INPUT_SHAPES data path forward training train eval to cuda cpu float ' +
    'double half apply children modules parameters buffers state_dict load_state_dict zero_grad register_buffer add_module ' +
    'named_modules named_parameters named_buffers named_children requires_grad_ extra_repr dump_patches call_super_init ' +
    'inputs outputs x').split(' '),
);

/** Python identifiers for every node id: readable, unique, never a keyword or a name the module uses. */
export function pythonNames(lowered: LoweredModel): Map<string, string> {
  const used = new Set<string>();
  const names = new Map<string, string>();
  for (const node of lowered.nodes) {
    let base = node.id.replace(/[^A-Za-z0-9_]/g, '_');
    if (/^[0-9]/.test(base) || base === '') base = `n_${base}`;
    if (keywords.has(base) || taken.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
    used.add(name);
    names.set(node.id, name);
  }
  return names;
}

/** A Python literal for JSON-like data: tuples for arrays (Keras and PyTorch both take them). */
export function py(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`cannot write ${v} as a Python literal`);
    return String(v); // JS number text (1e-21, 0.001, 42) is valid Python too
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  throw new Error(`cannot write ${typeof v} as a Python literal`);
}

/** A Python string literal safe inside the module docstring too. */
export const pyStr = (s: string): string => JSON.stringify(s);

/** Text for a docstring: no closing triple quotes, no backslashes that Python would interpret. */
export const docText = (s: string): string => s.replace(/\\/g, '/').replace(/"""/g, "'''");
