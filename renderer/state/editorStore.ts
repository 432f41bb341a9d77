/**
 * The editor's state: the document's history (the document is the state), its compile result,
 * recomputed on every edit, and the selection. React Flow only renders what is here.
 */
import { create } from 'zustand';
import { GRAPH_FORMAT, GRAPH_VERSION, type GraphDocument, type NodeReport } from '../../contracts/index.js';
import { compile, type CompileResult } from '../../graph-compiler/index.js';
import type { Command } from '../document/commands.js';
import { execute, redo, startHistory, undo, type History } from '../document/history.js';
import { partialReports } from './partialShapes.js';

export const emptyDocument: GraphDocument = { format: GRAPH_FORMAT, version: GRAPH_VERSION, name: 'Untitled', nodes: [], edges: [] };

export interface EditorState {
  readonly history: History;
  readonly compiled: CompileResult;
  /** Per-node shapes and costs: the compile result's, or while it has structural errors, those of the part that is fine. */
  readonly nodeReports: readonly NodeReport[];
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
}

function withHistory(history: History) {
  const compiled = compile(history.present);
  return { history, compiled, nodeReports: partialReports(history.present, compiled) };
}

export const useEditor = create<EditorState>()((set, get) => ({
  ...withHistory(startHistory(emptyDocument)),
  selection: [],
  focusRequest: 0,
  open: (doc) => set({ ...withHistory(startHistory(doc)), selection: [] }),
  run: (cmd, mergeKey) => {
    const h = execute(get().history, cmd, mergeKey);
    if (h !== get().history) set(withHistory(h));
  },
  undo: () => {
    const h = undo(get().history);
    if (h !== get().history) set(withHistory(h));
  },
  redo: () => {
    const h = redo(get().history);
    if (h !== get().history) set(withHistory(h));
  },
  select: (ids, focus = false) =>
    set((s) => ({ selection: ids, focusRequest: focus ? s.focusRequest + 1 : s.focusRequest })),
}));

/** The document being edited. */
export const useDocument = (): GraphDocument => useEditor((s) => s.history.present);
