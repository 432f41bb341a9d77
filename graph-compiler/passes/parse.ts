/** Pass 1: text or unknown JSON → a validated, migrated GraphDocument, or diagnostics. */
import { z } from 'zod';
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  graphDocument,
  graphEdge,
  graphNode,
  nodeIdPattern,
  type Diagnostic,
  type GraphDocument,
} from '../../contracts/index.js';

/**
 * The document schema without its nodes and edges, which are checked one by one and
 * memoised by object identity: an editor's next document shares every untouched node with
 * the last one, so re-checking after an edit validates only what changed. The parsed node is
 * the same object each time, which lets later passes memoise on it too.
 */
const documentShell = graphDocument.extend({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) });
type Node = GraphDocument['nodes'][number];
type Edge = GraphDocument['edges'][number];
type Checked<T> = { success: true; data: T } | { success: false; issues: readonly Issue[] };
type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };
const nodeCache = new WeakMap<object, Checked<Node>>();
const edgeCache = new WeakMap<object, Checked<Edge>>();

function memoParse<T>(cache: WeakMap<object, Checked<T>>, fast: (v: unknown) => T | null, schema: z.ZodType<T>, value: unknown): Checked<T> {
  if (value === null || typeof value !== 'object') return check(fast, schema, value);
  let r = cache.get(value);
  if (!r) cache.set(value, (r = check(fast, schema, value)));
  return r;
}

/**
 * zod with a recursive union is slow on big graphs, so a hand-written check accepts the
 * common, valid shapes first; anything it does not accept goes to the zod schema from
 * contracts/, which stays the authority and writes the messages.
 */
function check<T>(fast: (v: unknown) => T | null, schema: z.ZodType<T>, value: unknown): Checked<T> {
  const quick = fast(value);
  if (quick) return { success: true, data: quick };
  try {
    const r = schema.safeParse(value);
    return r.success ? { success: true, data: r.data } : { success: false, issues: r.error.issues };
  } catch {
    // A value nested deeper than the stack allows.
    return { success: false, issues: [{ path: [], message: 'nested too deeply' }] };
  }
}

const MAX_DEPTH = 32;
const isPlain = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);
const isParamValue = (v: unknown, depth: number): boolean =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v)) ||
  (Array.isArray(v) && depth < MAX_DEPTH && v.every((x) => isParamValue(x, depth + 1)));

function fastNode(v: unknown): Node | null {
  if (!isPlain(v)) return null;
  const { id, type, params, position, label } = v;
  if (typeof id !== 'string' || !nodeIdPattern.test(id) || typeof type !== 'string' || !type) return null;
  if (label !== undefined && typeof label !== 'string') return null;
  // A param named "__proto__" goes to the schema, which drops it (as it must; the fast path would keep it).
  if (params !== undefined && !(isPlain(params) && !Object.hasOwn(params, '__proto__') && Object.values(params).every((p) => isParamValue(p, 0)))) return null;
  let pos: Node['position'];
  if (position !== undefined) {
    if (!isPlain(position) || typeof position.x !== 'number' || typeof position.y !== 'number') return null;
    if (!Number.isFinite(position.x) || !Number.isFinite(position.y)) return null;
    pos = { x: position.x, y: position.y };
  }
  return {
    id,
    type,
    ...(params === undefined ? {} : { params: params as Node['params'] }),
    ...(pos ? { position: pos } : {}),
    ...(label === undefined ? {} : { label }),
  };
}

function fastEdge(v: unknown): Edge | null {
  if (!isPlain(v)) return null;
  const { source, target, targetPort } = v;
  if (typeof source !== 'string' || typeof target !== 'string') return null;
  if (targetPort === undefined) return { source, target };
  return typeof targetPort === 'number' && Number.isSafeInteger(targetPort) && targetPort >= 0 ? { source, target, targetPort } : null;
}

export type ParseResult = { ok: true; document: GraphDocument } | { ok: false; diagnostics: Diagnostic[] };

const fail = (code: Diagnostic['code'], message: string): ParseResult => ({
  ok: false,
  diagnostics: [{ code, severity: 'error', message, nodeIds: [] }],
});

/** Older versions are upgraded here, one step per version; there is only version 1 so far. */
const migrations: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export function parseDocument(input: unknown): ParseResult {
  let raw = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      return fail('E_PARSE', `The file is not valid JSON (${(e as Error).message}); fix the syntax or re-export it from Layerlab`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return fail('E_FORMAT', 'A graph document is a JSON object with "format": "layerlab-graph"');
  let obj = raw as Record<string, unknown>;
  if (obj.format !== GRAPH_FORMAT)
    return fail('E_FORMAT', `Not a Layerlab graph: "format" must be "${GRAPH_FORMAT}" (got ${JSON.stringify(obj.format) ?? 'nothing'})`);
  const version = obj.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    return fail('E_VERSION', '"version" must be a positive integer; this app writes version 1');
  if (version > GRAPH_VERSION)
    return fail('E_VERSION', `This file is graph format version ${version}, newer than this app understands (${GRAPH_VERSION}); update Layerlab to open it`);
  for (let v = version; v < GRAPH_VERSION; v++) obj = migrations[v]!(obj);
  const shell = documentShell.safeParse({ ...obj, version: GRAPH_VERSION });
  if (!shell.success) return { ok: false, diagnostics: zodDiagnostics(shell.error.issues, []) };
  const issues: Diagnostic[] = [];
  const nodes = shell.data.nodes.map((n, i) => {
    const r = memoParse(nodeCache, fastNode, graphNode, n);
    if (r.success) return r.data;
    issues.push(...zodDiagnostics(r.issues, ['nodes', i]));
    return null;
  });
  const edges = shell.data.edges.map((e, i) => {
    const r = memoParse(edgeCache, fastEdge, graphEdge, e);
    if (r.success) return r.data;
    issues.push(...zodDiagnostics(r.issues, ['edges', i]));
    return null;
  });
  if (issues.length) return { ok: false, diagnostics: issues.slice(0, 20) };
  return { ok: true, document: { ...shell.data, nodes, edges } as GraphDocument };
}

function zodDiagnostics(issues: readonly Issue[], prefix: readonly PropertyKey[]): Diagnostic[] {
  return issues.slice(0, 20).map((i) => {
    const path = [...prefix, ...i.path].map(String);
    return {
      code: 'E_FORMAT' as const,
      severity: 'error' as const,
      message: `${path.length ? path.join('.') : 'document'}: ${i.message}`,
      nodeIds: [],
    };
  });
}
