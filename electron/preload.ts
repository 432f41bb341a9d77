/**
 * The preload: exposes `window.layerlab` (contracts' `ApiClient`) and nothing else.
 * Runs sandboxed, bundled to CJS; it uses only `contextBridge` and `ipcRenderer`, and
 * never hands `ipcRenderer` (or an IPC event) to the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './common/bridge.js';

contextBridge.exposeInMainWorld('layerlab', createBridge(ipcRenderer));
