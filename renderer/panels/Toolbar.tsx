/** The top bar: templates, open/save, undo/redo, auto-layout. */
import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import type { TemplateSummary } from '../../contracts/index.js';
import { compile, serializeDocument } from '../../graph-compiler/index.js';
import { frameDocument } from '../canvas/Canvas.js';
import { NODE_WIDTH } from '../canvas/LayerNode.js';
import type { LayerFlowNode, ShapeFlowEdge } from '../canvas/toFlow.js';
import { autoLayout } from '../layout/autoLayout.js';
import { emptyDocument, useEditor } from '../state/editorStore.js';
import { useApi } from '../transport/context.js';
import { download } from './download.js';

// Each open (template or file) takes a ticket; a template that arrives after a newer open is dropped,
// so a slow response cannot replace the file the user opened since.
let openTicket = 0;

/** Opens a template by id, unless something else was opened while it loaded. */
export async function openTemplate(api: ReturnType<typeof useApi>, id: string): Promise<void> {
  const ticket = ++openTicket;
  const doc = await api.invoke('templates.get', { id });
  if (ticket === openTicket) useEditor.getState().open(doc);
}

/** `onError(null)` clears the message once something opens fine. */
/** Reads a file as a graph and opens it; a file that is not one is reported through `onError`. */
export async function openGraphFile(f: File, onError: (message: string | null) => void): Promise<boolean> {
  const ticket = ++openTicket;
  const result = compile(await f.text());
  if (ticket !== openTicket) return false;
  if (!result.document) {
    onError(`${f.name}: ${result.diagnostics[0]?.message ?? 'not a Layerlab graph'}`);
    return false;
  }
  useEditor.getState().open(result.document);
  onError(null);
  return true;
}

/** Downloads the document being edited as `<name>.layerlab.json`. */
export function saveDocument(): void {
  const doc = useEditor.getState().history.present;
  download(`${(doc.name || 'untitled').replace(/[^A-Za-z0-9._-]+/g, '-').toLowerCase()}.layerlab.json`, serializeDocument(doc), 'application/json');
}

export function Toolbar({ onError }: { onError: (message: string | null) => void }) {
  const api = useApi();
  const flow = useReactFlow<LayerFlowNode, ShapeFlowEdge>();
  const [templates, setTemplates] = useState<TemplateSummary[]>([]);
  const [current, setCurrent] = useState('');
  const file = useRef<HTMLInputElement>(null);
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const name = useEditor((s) => s.history.present.name);

  useEffect(() => {
    api.invoke('templates.list', {}).then(
      (list) => {
        setTemplates(list);
        // Start on LeNet, the d2l first network, unless there is work to restore (main.tsx opened it).
        const first = list.find((t) => t.id === 'lenet') ?? list[0];
        if (first && useEditor.getState().history.present.nodes.length === 0) {
          setCurrent(first.id);
          openTemplate(api, first.id).catch((e: Error) => onError(e.message));
        }
      },
      (e: Error) => onError(`Could not list templates: ${e.message}`),
    );
  }, [api, onError]);

  const pick = (id: string) => {
    setCurrent(id);
    if (id) openTemplate(api, id).then(() => onError(null), (e: Error) => onError(e.message));
  };

  const newDocument = () => {
    ++openTicket;
    setCurrent('');
    onError(null);
    useEditor.getState().open({ ...emptyDocument, nodes: [{ id: 'input', type: 'Input', params: { shape: [28, 28, 1] }, position: { x: 0, y: 0 } }] });
  };


  const openFile = async (f: File) => {
    if (await openGraphFile(f, onError)) setCurrent('');
  };

  // A .layerlab.json dropped anywhere on the window opens like Open… does.
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const onOver = (e: DragEvent) => {
      if (hasFiles(e)) e.preventDefault();
    };
    const onDrop = (e: DragEvent) => {
      const f = e.dataTransfer?.files[0];
      if (!hasFiles(e) || !f) return;
      e.preventDefault();
      void openGraphFile(f, onError).then((ok) => ok && setCurrent(''));
    };
    window.addEventListener('dragover', onOver);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('drop', onDrop);
    };
  }, [onError]);

  const layout = async () => {
    const { view, run } = useEditor.getState();
    const positions = await autoLayout(view, (id) => {
      const n = flow.getNode(id);
      return { width: n?.measured?.width ?? NODE_WIDTH, height: n?.measured?.height ?? 64 };
    });
    run({ type: 'moveNodes', positions });
    setTimeout(() => frameDocument(flow, useEditor.getState().scope ? 100 : 40), 50);
  };

  return (
    <header className="toolbar">
      <span className="brand">Layerlab</span>
      <label className="toolbar-field">
        <span>Template</span>
        <select data-testid="template-picker" value={current} onChange={(e) => pick(e.target.value)}>
          <option value="">—</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id} title={t.description}>
              {t.name}
            </option>
          ))}
        </select>
      </label>
      <DocName name={name} />
      <div className="toolbar-group">
        <button onClick={newDocument} data-testid="new-document" title="Start an empty graph with one 28×28×1 input">
          New
        </button>
        <button onClick={() => file.current?.click()} data-testid="open-file" title="Open a .layerlab.json file">
          Open…
        </button>
        <input
          ref={file}
          type="file"
          accept=".json,application/json"
          hidden
          data-testid="open-file-input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void openFile(f);
            e.target.value = '';
          }}
        />
        <button onClick={saveDocument} data-testid="save-file" title="Download as .layerlab.json (Ctrl+S)">
          Save
        </button>
      </div>
      <div className="toolbar-group">
        <button onClick={() => useEditor.getState().undo()} disabled={!canUndo} data-testid="undo" title="Undo (Ctrl+Z)">
          Undo
        </button>
        <button onClick={() => useEditor.getState().redo()} disabled={!canRedo} data-testid="redo" title="Redo (Ctrl+Shift+Z)">
          Redo
        </button>
        <button onClick={() => void layout()} data-testid="auto-layout" title="Arrange the graph top to bottom">
          Auto-layout
        </button>
      </div>
      <Shortcuts />
    </header>
  );
}

/** The document's name; click to rename (Enter or leaving the field applies, Escape cancels). */
function DocName({ name }: { name: string }) {
  const [editing, setEditing] = useState<string | null>(null);
  const description = useEditor((s) => s.history.present.description);
  if (editing === null)
    return (
      <button className="doc-name" data-testid="doc-name" title={`${description ? `${description}\n\n` : ''}Click to rename`} onClick={() => setEditing(name)}>
        {name}
      </button>
    );
  const apply = () => {
    const next = editing.trim();
    if (next) useEditor.getState().run({ type: 'setName', name: next });
    setEditing(null);
  };
  return (
    <input
      className="doc-name-input"
      autoFocus
      value={editing}
      onChange={(e) => setEditing(e.target.value)}
      onBlur={apply}
      onKeyDown={(e) => {
        if (e.key === 'Enter') apply();
        if (e.key === 'Escape') setEditing(null);
      }}
      data-testid="doc-name-input"
      aria-label="Graph name"
    />
  );
}

const shortcuts: readonly [string, string][] = [
  ['/', 'Search layers'],
  ['Click a layer', 'Add it after the selected node (spliced into a chain)'],
  ['Drop on an edge', 'Insert the layer into that edge'],
  ['Delete / Backspace', 'Remove the selected nodes and edges'],
  ['Shift+click', 'Select several nodes'],
  ['Ctrl+C / Ctrl+V / Ctrl+D', 'Copy, paste, duplicate'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'Undo, redo'],
  ['Ctrl+S', 'Save as .layerlab.json'],
  ['Wheel / Ctrl+wheel', 'Scroll the canvas / zoom'],
  ['Escape', 'Leave an open block'],
  ['Ctrl+F', 'Find a node by id, label or type'],
  ['Drop a .layerlab.json', 'Open it'],
];

/** A small popover listing the editor's shortcuts. */
function Shortcuts() {
  return (
    <details className="shortcuts">
      <summary title="Keyboard shortcuts" data-testid="shortcuts">
        ?
      </summary>
      <dl>
        {shortcuts.map(([k, what]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
