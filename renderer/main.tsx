/** Entry point: pick the transport (Electron bridge or WebSocket) and mount the app. */
import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import { restoreAutosave, startAutosave } from './state/autosave.js';
import { useEditor } from './state/editorStore.js';
import { pickTransport } from './transport/index.js';

const restored = restoreAutosave(window.localStorage);
if (restored) useEditor.getState().open(restored);
startAutosave(window.localStorage);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App transport={pickTransport(window)} />
  </StrictMode>,
);
