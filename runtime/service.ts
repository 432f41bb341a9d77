/**
 * The app's backend: one implementation of the API in contracts/, hosted by `layerlab serve`
 * (over WebSocket) and by Electron's utility process (over IPC via main). Training runs in a
 * worker thread so the service stays responsive.
 */
import type { ApiEventName, ApiEvents, ApiHandlers } from '../contracts/index.js';

export interface ServiceOptions {
  /** Folder holding the bundled `*.layerlab.json` templates. */
  readonly templatesDir: string;
  /** Where IDX datasets are found or cached (LAYERLAB_DATA_DIR or the user cache). */
  readonly dataDir?: string;
  /** Where run directories are written. */
  readonly runsDir: string;
}

export interface Service {
  readonly handlers: ApiHandlers;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  onEvent(listener: <E extends ApiEventName>(event: E, payload: ApiEvents[E]) => void): () => void;
  /** Stops every run and releases workers. */
  dispose(): Promise<void>;
}

/** Creates the backend service; see {@link Service}. */
export { createService } from './serviceImpl.js';
