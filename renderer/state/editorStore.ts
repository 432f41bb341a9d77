/**
 * The editor's state: the document's history (the document is the state), its compile result,
 * recomputed on every edit, and the selection. React Flow only renders what is here.
 * With a block open (`scope`), the canvas shows and edits that block's definition: `view` is the
 * block as a document, and every command runs inside it.
 */
import { create } from 'zustand';
import { GRAPH_FORMAT, GRAPH_VERSION, type CheckReport, type GraphDocument, type NodeReport } from '../../contracts/index.js';
import { compile, type CompileResult } from '../../graph-compiler/index.js';
import { scopeReports } from '../document/blockScope.js';
import { blockView, type Command } from '../document/commands.js';
import { execute, redo, startHistory, undo, type History } from '../document/history.js';
import { partialReports } from './partialShapes.js';

export const emptyDocument: GraphDocument = { format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Untitled', nodes: [], edges: [] };

export interface EditorState {
  readonly history: History;
  readonly compiled: CompileResult;
  /** Per-node shapes and costs: the compile result's, or while it has structural errors, those of the part that is fine. */
  readonly nodeReports: readonly NodeReport[];
  /** The block whose definition is open, or null for the graph itself. */
  readonly scope: string | null;
  /** What the canvas shows and edits: the document, or the open block as a document. */
  readonly view: GraphDocument;
  /** Report and per-node shapes for `view` (inside a block: its first instance's). */
  readonly viewReport: CheckReport;
  readonly viewReports: readonly NodeReport[];
  readonly selection: readonly string[];
  /** Bumped when something asks the canvas to centre on the selection. */
  readonly focusRequest: number;
  /** Opens a document as a fresh history (templates, files). */
  open(doc: GraphDocument): void;
  /** Runs a command as an undoable step; see `execute` for `mergeKey`. */
  run(cmd: Command, mergeKey?: string): void;
  undo(): void;
  redo(): void;
  select(ids: readonly string[], focus?: boolean): void;
  /** Opens a block's definition for editing, or (null) goes back to the graph. */
  openBlock(name: string | null): void;
}

function derive(history: History, scope: string | null) {
  const doc = history.present;
  const compiled = compile(doc);
  const nodeReports = partialReports(doc, compiled);
  const view = scope ? blockView(doc, scope) : null;
  if (!scope || !view) return { history, compiled, nodeReports, scope: null, view: doc, viewReport: compiled.report, viewReports: nodeReports };
  const inner = scopeReports(doc, scope, nodeReports, compiled.report);
  return { history, compiled, nodeReports, scope, view, viewReport: inner.report, viewReports: inner.reports };
}

export const useEditor = create<EditorState>()((set, get) => ({
  ...derive(startHistory(emptyDocument), null),
  selection: [],
  focusRequest: 0,
  open: (doc) => set({ ...derive(startHistory(doc), null), selection: [] }),
  run: (cmd, mergeKey) => {
    const { history, scope } = get();
    const h = execute(history, scope ? { type: 'inBlock', block: scope, command: cmd } : cmd, mergeKey);
    if (h !== history) set(derive(h, scope));
  },
  undo: () => {
    const h = undo(get().history);
    if (h !== get().history) set(derive(h, get().scope));
  },
  redo: () => {
    const h = redo(get().history);
    if (h !== get().history) set(derive(h, get().scope));
  },
  select: (ids, focus = false) =>
    set((s) => ({ selection: ids, focusRequest: focus ? s.focusRequest + 1 : s.focusRequest })),
  openBlock: (name) => set({ ...derive(get().history, name), selection: [] }),
}));

/** The document being edited. */
export const useDocument = (): GraphDocument => useEditor((s) => s.history.present);
