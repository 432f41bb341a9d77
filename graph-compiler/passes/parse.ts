/** Pass 1: text or unknown JSON → a validated, migrated GraphDocument, or diagnostics. */
import { z } from 'zod';
import {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  graphDocument,
  type Diagnostic,
  type GraphDocument,
} from '../../contracts/index.js';

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
  const parsed = graphDocument.safeParse({ ...obj, version: GRAPH_VERSION });
  if (!parsed.success) return { ok: false, diagnostics: zodDiagnostics(parsed.error) };
  return { ok: true, document: parsed.data };
}

function zodDiagnostics(error: z.ZodError): Diagnostic[] {
  return error.issues.slice(0, 20).map((i) => ({
    code: 'E_FORMAT' as const,
    severity: 'error' as const,
    message: `${i.path.length ? i.path.join('.') : 'document'}: ${i.message}`,
    nodeIds: [],
  }));
}
