import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import type { GraphDocument } from '../../../../contracts/index.js';
import { AUTOSAVE_KEY, restoreAutosave, startAutosave } from '../../../../renderer/state/autosave.js';
import { useEditor } from '../../../../renderer/state/editorStore.js';

const lenet = JSON.parse(readFileSync(new URL('../../../../templates/lenet.layerlab.json', import.meta.url), 'utf8')) as GraphDocument;

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), map: m };
}

afterEach(() => vi.useRealTimers());

describe('autosave', () => {
  test('edits are written after a pause and read back as the same document', () => {
    vi.useFakeTimers();
    const storage = memoryStorage();
    const stop = startAutosave(storage, 100);
    useEditor.getState().open(lenet);
    useEditor.getState().run({ type: 'setParam', nodeId: 'fc1', key: 'units', value: 100 });
    expect(storage.map.size).toBe(0);
    vi.advanceTimersByTime(150);
    stop();
    const restored = restoreAutosave(storage)!;
    expect(restored.nodes.find((n) => n.id === 'fc1')?.params?.units).toBe(100);
    expect(restored).toEqual(useEditor.getState().history.present);
  });

  test('nothing stored, or something that is not a graph, restores nothing', () => {
    expect(restoreAutosave(memoryStorage())).toBeNull();
    const bad = memoryStorage();
    bad.setItem(AUTOSAVE_KEY, '{"format":"other"}');
    expect(restoreAutosave(bad)).toBeNull();
  });
});
