/**
 * Keeps the document being edited in localStorage, so a reload or a crash does not lose work.
 * Writes are debounced; a stored document that no longer parses is ignored.
 */
import type { GraphDocument } from '../../contracts/index.js';
import { parseDocument, serializeDocument } from '../../graph-compiler/index.js';
import { useEditor } from './editorStore.js';

export const AUTOSAVE_KEY = 'layerlab.autosave.v1';

/** The autosaved document, if there is one that still parses. */
export function restoreAutosave(storage: Pick<Storage, 'getItem'>): GraphDocument | null {
  let text: string | null = null;
  try {
    text = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return null;
  }
  if (!text) return null;
  const parsed = parseDocument(text);
  return parsed.ok ? parsed.document : null;
}

/** Starts saving every change; returns the function that stops it. */
export function startAutosave(storage: Pick<Storage, 'setItem'>, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = useEditor.subscribe((s, prev) => {
    if (s.history.present === prev.history.present) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      try {
        storage.setItem(AUTOSAVE_KEY, serializeDocument(useEditor.getState().history.present));
      } catch {
        // Storage full or disabled: autosave is a convenience, editing goes on without it.
      }
    }, delayMs);
  });
  return () => {
    if (timer) clearTimeout(timer);
    unsubscribe();
  };
}
