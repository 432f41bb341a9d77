/**
 * Entry of the backend utility process (bundled to dist/electron/utility.cjs). The only
 * electron/ module allowed to import runtime/: it creates the app backend and serves it
 * to main over `process.parentPort`.
 */
import { createService, type ServiceOptions } from '../../runtime/service.js';
import { serveBackend, type BackendService } from '../common/backendHost.js';
import type { BackendOptions } from '../common/relay.js';

const port = process.parentPort;
if (!port) {
  console.error('[layerlab backend] started outside an Electron utility process; nothing to serve.');
  process.exit(2);
}

serveBackend(
  {
    post: (msg) => port.postMessage(msg),
    onMessage: (listener) => port.on('message', (e) => listener(e.data)),
    exit: (code) => process.exit(code),
    log: (m) => console.warn(`[layerlab backend] ${m}`),
  },
  (options: BackendOptions): BackendService => createService(options satisfies ServiceOptions),
);
