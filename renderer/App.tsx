/** The app's frame: toolbar, palette, canvas, inspector + training, problems, status bar. */
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useState } from 'react';
import { Canvas } from './canvas/Canvas.js';
import { Inspector } from './inspector/Inspector.js';
import { Palette } from './panels/Palette.js';
import { ProblemsPanel } from './panels/ProblemsPanel.js';
import { StatusBar } from './panels/StatusBar.js';
import { Toolbar } from './panels/Toolbar.js';
import { TrainPanel } from './panels/TrainPanel.js';
import { useEditor } from './state/editorStore.js';
import { useTraining } from './state/trainStore.js';
import { TransportContext } from './transport/context.js';
import type { Transport } from './transport/index.js';

/** Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, except while typing in a field. */
function useUndoKeys() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || (e.target as HTMLElement | null)?.closest('input, textarea, select')) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) useEditor.getState().undo();
      else if ((k === 'z' && e.shiftKey) || k === 'y') useEditor.getState().redo();
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
  useUndoKeys();
  useEffect(() => transport.client.on('train.event', (p) => useTraining.getState().receive(p.runId, p.event)), [transport]);

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
              <Inspector />
              <TrainPanel />
            </aside>
          </div>
          <StatusBar />
        </div>
      </ReactFlowProvider>
    </TransportContext.Provider>
  );
}
