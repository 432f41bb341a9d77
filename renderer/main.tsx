/** Entry point: pick the transport (Electron bridge or WebSocket) and mount the app. */
import '@xyflow/react/dist/style.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import { pickTransport } from './transport/index.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App transport={pickTransport(window)} />
  </StrictMode>,
);
