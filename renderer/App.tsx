/** The app's frame: toolbar, palette, canvas, inspector + training, problems, status bar. */
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { Canvas } from './canvas/Canvas.js';
import { copy, paste, type Clip } from './document/clipboard.js';
import { Inspector } from './inspector/Inspector.js';
import { Palette } from './panels/Palette.js';
import { ProblemsPanel } from './panels/ProblemsPanel.js';
import { RunsPanel } from './panels/RunsPanel.js';
import { StatusBar } from './panels/StatusBar.js';
import { saveDocument, Toolbar } from './panels/Toolbar.js';
import { TrainPanel } from './panels/TrainPanel.js';
import { useEditor } from './state/editorStore.js';
import { useTraining } from './state/trainStore.js';
import { TransportContext } from './transport/context.js';
import type { Transport } from './transport/index.js';

// What Ctrl+C copied; kept in memory, since the system clipboard needs a permission prompt in a browser.
let clip: Clip | null = null;

/**
 * Editor shortcuts, except while typing in a field: Ctrl/Cmd+Z undo, Ctrl/Cmd+Shift+Z or Ctrl+Y redo,
 * Ctrl/Cmd+C copy, Ctrl/Cmd+V paste, Ctrl/Cmd+D duplicate the selection; Ctrl/Cmd+S saves from anywhere;
 * Escape leaves an open block.
 */
function useEditorKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && useEditor.getState().scope && !(e.target as HTMLElement | null)?.closest('input, textarea, select')) {
        useEditor.getState().openBlock(null);
        return;
      }
      if (!(e.ctrlKey || e.metaKey)) return;
      // Saving works from anywhere, even while typing in a field.
      if (e.key.toLowerCase() === 's' && !e.shiftKey) {
        e.preventDefault();
        saveDocument();
        return;
      }
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select')) return;
      const editor = useEditor.getState();
      const pasteClip = (c: Clip | null) => {
        if (!c) return;
        const { command, ids } = paste(editor.view, c);
        editor.run(command);
        editor.select(ids);
      };
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) editor.undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') editor.redo();
      else if (k === 'c') {
        // Copying selected text (a problem message, a figure) keeps working as usual.
        if (window.getSelection()?.toString()) return;
        clip = copy(editor.view, editor.selection) ?? clip;
      }
      else if (k === 'v') pasteClip(clip);
      else if (k === 'd') pasteClip(copy(editor.view, editor.selection));
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

export function App({ transport }: { transport: Transport }) {
  const [error, setError] = useState<string | null>(null);
  const onError = useCallback((m: string | null) => setError(m), []);
  useEditorKeys();
  useEffect(() => transport.client.on('train.event', (p) => useTraining.getState().receive(p.runId, p.event)), [transport]);
  // Health badges describe the graph that trained; a newly opened graph starts without them.
  useEffect(
    () =>
      useEditor.subscribe((s, prev) => {
        if (s.history.present !== prev.history.present && s.history.past.length === 0 && s.history.future.length === 0)
          useTraining.setState({ health: {}, healthWarnings: [] });
      }),
    [],
  );

  return (
    <TransportContext.Provider value={transport}>
      <ReactFlowProvider>
        <div className="app" data-transport={transport.kind}>
          <Toolbar onError={onError} />
          {error && (
            <div className="banner error" role="alert" data-testid="error-banner">
              {error}
              <button onClick={() => setError(null)} aria-label="Dismiss">
                ×
              </button>
            </div>
          )}
          <div className="workspace">
            <Palette />
            <main className="centre">
              <Canvas />
              <ProblemsPanel />
            </main>
            <aside className="sidebar">
              <div className="sidebar-upper">
                <Inspector />
              </div>
              <div className="sidebar-lower">
                <TrainPanel />
                <RunsPanel />
              </div>
            </aside>
          </div>
          <StatusBar />
        </div>
      </ReactFlowProvider>
    </TransportContext.Provider>
  );
}
