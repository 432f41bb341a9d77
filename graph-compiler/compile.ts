/**
 * The compiler's whole pipeline, one pure pass per line:
 * parse + migrate → build IR → expand blocks → structural rules → shape inference → teaching lints → costs → lowering → fusion.
 */
import type { CheckReport, Diagnostic, GraphDocument } from '../contracts/index.js';
import type { IRGraph } from './ir.js';
import { buildIR } from './passes/buildIR.js';
import { estimateCosts, type Costs } from './passes/costs.js';
import { expandBlocks } from './passes/expandBlocks.js';
import { inferShapes, type ShapedGraph } from './passes/inferShapes.js';
import { fuse } from './passes/fuse.js';
import { lower, type LoweredModel } from './passes/lower.js';
import { parseDocument } from './passes/parse.js';
import { lintContext, teachingLints } from './lints/index.js';
import { structuralRules } from './rules/index.js';

export interface CompileResult {
  readonly document: GraphDocument | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly shaped: ShapedGraph | null;
  readonly costs: Costs | null;
  /** Present only when there are no errors. */
  readonly lowered: LoweredModel | null;
  readonly report: CheckReport;
}

/**
 * Compiles a document (parsed object, JSON text or anything else); never throws.
 * Documents are values: validation is memoised per node object, so pass a new object for a
 * changed node (as editor commands do) rather than mutating one that was compiled before.
 */
export function compile(input: unknown): CompileResult {
  const parsed = parseDocument(input);
  if (!parsed.ok) return failed(null, parsed.diagnostics);
  const doc = parsed.document;
  const expanded = expandBlocks(buildIR(doc), doc);
  // A broken block leaves a partial graph whose other errors would only be echoes of it.
  if (hasErrors(expanded.diagnostics)) return failed(doc, expanded.diagnostics);
  const structural = [...expanded.diagnostics, ...structuralRules.flatMap((r) => r.run(expanded.graph))];
  if (hasErrors(structural)) return failed(doc, structural);
  const shaped = inferShapes(expanded.graph);
  const outputs = outputIds(expanded.graph);
  const lintCtx = lintContext(shaped, doc, outputs);
  const lints = teachingLints.flatMap((l) => l.run(lintCtx));
  const costs = estimateCosts(shaped);
  const diagnostics = [...structural, ...shaped.diagnostics, ...lints];
  const lowered = hasErrors(diagnostics) ? null : fuse(lower(shaped, doc.name, outputs));
  return { document: doc, diagnostics, shaped, costs, lowered, report: report(diagnostics, costs, shaped, outputs) };
}

export const hasErrors = (ds: readonly Diagnostic[]): boolean => ds.some((d) => d.severity === 'error');

/** The document's outputs, or every node nothing consumes. */
export function outputIds(graph: IRGraph): string[] {
  if (graph.outputs?.length) return [...graph.outputs];
  const sources = new Set(graph.edges.map((e) => e.source));
  return graph.nodes.filter((n) => !sources.has(n.id)).map((n) => n.id);
}

function failed(document: GraphDocument | null, diagnostics: Diagnostic[]): CompileResult {
  return { document, diagnostics, shaped: null, costs: null, lowered: null, report: report(diagnostics, null, null, []) };
}

function report(diagnostics: readonly Diagnostic[], costs: Costs | null, shaped: ShapedGraph | null, outputs: readonly string[]): CheckReport {
  return {
    valid: !hasErrors(diagnostics),
    nodes: costs?.nodes ?? [],
    outputs: outputs.map((id) => ({ id, shape: shaped?.byId.get(id as never)?.shape ?? null })),
    totalParams: costs?.totalParams ?? 0,
    trainableParams: costs?.trainableParams ?? 0,
    flops: costs?.flops ?? 0,
    activationBytes: costs?.activationBytes ?? 0,
    diagnostics,
  };
}
