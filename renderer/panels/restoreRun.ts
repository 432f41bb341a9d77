/**
 * Bringing the chart back after a page reload or a dropped connection: a run still training is
 * rebuilt from its recorded events and then followed live; otherwise the run the user last had
 * open (remembered in localStorage) is shown again.
 */
import { useEffect } from 'react';
import type { ApiClient, RunId, RunSummary } from '../../contracts/index.js';
import { useTraining } from '../state/trainStore.js';
import { useApi, useConnection } from '../transport/context.js';

export const OPEN_RUN_KEY = 'layerlab.openRun.v1';

/** What to show on load: the newest run still training (followed live), else the remembered run if it still exists. */
export function runToRestore(runs: readonly RunSummary[], remembered: string | null): { readonly runId: RunId; readonly live: boolean } | null {
  const running = runs.filter((r) => r.status === 'running').sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
  if (running) return { runId: running.runId, live: true };
  const open = runs.find((r) => r.runId === remembered);
  return open ? { runId: open.runId, live: false } : null;
}

function remembered(): string | null {
  try {
    return localStorage.getItem(OPEN_RUN_KEY);
  } catch {
    return null;
  }
}

/** Looks for a run to show and shows it; leaves the panel alone if the user has started a run meanwhile. */
export async function restoreRun(api: ApiClient): Promise<void> {
  if (useTraining.getState().status === 'starting') return;
  const runs = await api.invoke('runs.list', {});
  const s = useTraining.getState();
  if (s.status === 'starting') return;
  const followed = s.runId !== null && (s.status === 'running' || s.status === 'paused') ? s.runId : null;
  const pick = runToRestore(runs, followed ?? remembered());
  if (!pick) return;
  // A live run the user follows is replaced only by itself (after a reconnect, to fill the gap);
  // one that ended while the connection was down is shown as recorded.
  if (followed !== null && pick.runId !== followed) return;
  if (!pick.live && followed === null && (s.runId !== null || s.viewing !== null)) return;
  if (!pick.live) {
    const detail = await api.invoke('runs.get', { runId: pick.runId });
    useTraining.getState().showRecorded(pick.runId, detail.events);
    return;
  }
  useTraining.getState().attaching();
  try {
    const detail = await api.invoke('runs.get', { runId: pick.runId });
    useTraining.getState().attach(pick.runId, detail.events);
  } catch (e) {
    useTraining.getState().failed(`Could not reload the running run: ${(e as Error).message}`);
  }
}

/** Restores on mount and every time the connection comes back; remembers the run on show. */
export function useRestoreRun(): void {
  const api = useApi();
  const connection = useConnection();
  useEffect(
    () =>
      useTraining.subscribe((s, prev) => {
        const open = s.runId ?? s.viewing;
        if (open && open !== (prev.runId ?? prev.viewing))
          try {
            localStorage.setItem(OPEN_RUN_KEY, open);
          } catch {
            // Storage may be full or disabled; the run just is not remembered.
          }
      }),
    [],
  );
  useEffect(() => {
    if (connection !== 'open') return;
    restoreRun(api).catch(() => {
      // The runs folder could not be read: the panel stays as it is, like before a first run.
    });
  }, [api, connection]);
}
