/** Starts the backend as an Electron utility process and adapts it to {@link SpawnBackend}. */
import { utilityProcess } from 'electron';
import type { SpawnBackend } from '../common/backendConnection.js';

/** A spawner for `utilityPath` (dist/electron/utility.cjs). */
export function utilitySpawner(utilityPath: string, log: (m: string) => void): SpawnBackend {
  return ({ onMessage, onExit }) => {
    const child = utilityProcess.fork(utilityPath, [], { serviceName: 'Layerlab backend', stdio: 'inherit' });
    child.on('message', (msg: unknown) => onMessage(msg));
    child.on('exit', (code) => onExit(code));
    child.on('error', (type, location) => log(`backend process error ${type} at ${location}`));
    return {
      post: (msg) => child.postMessage(msg),
      kill: () => {
        child.kill();
      },
    };
  };
}
