/**
 * Undo/redo over documents. Each entry is a whole document; documents share structure (commands
 * copy only what they change), so keeping them costs little and undo can never drift from redo.
 */
import type { GraphDocument } from '../../contracts/index.js';
import { applyCommand, type Command } from './commands.js';

export interface History {
  readonly past: readonly GraphDocument[];
  readonly present: GraphDocument;
  readonly future: readonly GraphDocument[];
  /** The merge key of the last step, so a run of edits to one field undoes as one step. */
  readonly mergeKey?: string;
}

/** How long history keeps; older steps are dropped. */
export const HISTORY_LIMIT = 200;

export const startHistory = (doc: GraphDocument): History => ({ past: [], present: doc, future: [] });

/**
 * Applies a command as one undoable step; a command that changes nothing records nothing.
 * With a `mergeKey` equal to the previous step's (typing into one field), it joins that step.
 */
export function execute(h: History, cmd: Command, mergeKey?: string): History {
  const next = applyCommand(h.present, cmd);
  if (next === h.present) return h;
  if (mergeKey !== undefined && mergeKey === h.mergeKey && h.past.length) return { past: h.past, present: next, future: [], mergeKey };
  return { past: [...h.past, h.present].slice(-HISTORY_LIMIT), present: next, future: [], ...(mergeKey === undefined ? {} : { mergeKey }) };
}

export function undo(h: History): History {
  const prev = h.past.at(-1);
  if (!prev) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future] };
}

export function redo(h: History): History {
  const next = h.future[0];
  if (!next) return h;
  return { past: [...h.past, h.present], present: next, future: h.future.slice(1) };
}
