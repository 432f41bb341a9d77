/** Where datasets live: LAYERLAB_DATA_DIR if set, else the user's cache folder. */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LAYERLAB_DATA_DIR) return env.LAYERLAB_DATA_DIR;
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'layerlab', 'datasets');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'layerlab', 'datasets');
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'layerlab', 'datasets');
}
