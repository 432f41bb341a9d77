/**
 * The graph canvas. React Flow draws the document; every user edit (move, connect, delete, drop)
 * becomes a command on the editor store, and the canvas re-renders from the next document.
 */
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type ReactFlowInstance,
} from '@xyflow/react';
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { getLayer } from '../../graph-compiler/index.js';
import { freshId, makeEdge, type XY } from '../document/commands.js';
import { useEditor } from '../state/editorStore.js';
import { freeSpot } from '../layout/freeSpot.js';
import { FindNode } from '../panels/FindNode.js';
import { LayerNode, NODE_WIDTH } from './LayerNode.js';
import { reuseEdges, reuseNodes } from './reuse.js';
import { ShapeEdge } from './ShapeEdge.js';
import { defaultParams } from './defaults.js';
import { blockOf, portFromHandle, toFlowEdges, toFlowNodes, type LayerFlowNode, type ShapeFlowEdge } from './toFlow.js';

// Module scope, as React Flow asks: a new object per render would remount every node.
const nodeTypes = { layer: LayerNode };
const edgeTypes = { shape: ShapeEdge };

/** Problems show in the overview too. */
const minimapColor = (n: LayerFlowNode): string => (n.data.severity === 'error' ? '#d92d20' : n.data.severity === 'warning' ? '#f79009' : '#98a2b3');

// Also module scope: React Flow copies each prop that changes identity into its store, and every
// store update re-runs the selectors of every node, edge and handle (thousands in a big graph),
// so an inline array or arrow here would cost a full pass on every drag step and every edit.
const isValidConnection = (c: { source: string; target: string }): boolean => c.source !== c.target;
const SNAP_GRID: [number, number] = [10, 10];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const ZOOM_KEYS = ['Control', 'Meta'];
const PRO_OPTIONS = { hideAttribution: true };
const MINIMAP_STYLE = { width: 150, height: 110 };

/** MIME type of a palette item being dragged onto the canvas. */
export const LAYER_DRAG_TYPE = 'application/x-layerlab-layer';

export function Canvas() {
  // Inside an open block the canvas shows and edits the block; commands are scoped by the store.
  const doc = useEditor((s) => s.view);
  const report = useEditor((s) => s.viewReport);
  const nodeReports = useEditor((s) => s.viewReports);
  const scope = useEditor((s) => s.scope);
  const selection = useEditor((s) => s.selection);
  const focusRequest = useEditor((s) => s.focusRequest);
  const run = useEditor((s) => s.run);
  const select = useEditor((s) => s.select);
  const flow = useReactFlow<LayerFlowNode, ShapeFlowEdge>();

  const [nodes, setNodes] = useState<LayerFlowNode[]>([]);
  const [edges, setEdges] = useState<ShapeFlowEdge[]>([]);
  // Unchanged nodes and edges keep their objects, so an edit re-renders only what it changed.
  useEffect(() => setNodes((prev) => reuseNodes(toFlowNodes(doc, report, nodeReports, selection), prev)), [doc, report, nodeReports, selection]);
  useEffect(() => setEdges((prev) => reuseEdges(toFlowEdges(doc, report, nodeReports), prev)), [doc, report, nodeReports]);

  // A new document (template, file), or a block opened or closed, is framed whole.
  const shownDoc = useRef<unknown>(null);
  const shownScope = useRef<string | null>(null);
  const opened = useEditor((s) => s.history.past.length === 0 && s.history.future.length === 0);
  useEffect(() => {
    const scopeChanged = shownScope.current !== scope;
    if (!scopeChanged && (!opened || shownDoc.current === doc)) return;
    shownDoc.current = doc;
    shownScope.current = scope;
    // The block bar sits over the top of the canvas.
    const t = setTimeout(() => frameDocument(flow, scope ? 100 : 40), 50);
    return () => clearTimeout(t);
  }, [doc, opened, scope, flow]);

  useEffect(() => {
    if (focusRequest === 0 || !selection.length) return;
    void flow.fitView({ nodes: selection.map((id) => ({ id })), duration: 300, maxZoom: 1.2, padding: 0.5 });
    // Only a new request moves the view, not every selection change, so selection is read but not a dependency.
  }, [focusRequest]);

  const onNodesChange = useCallback(
    (changes: NodeChange<LayerFlowNode>[]) => {
      setNodes((prev) => applyNodeChanges(changes.filter((c) => c.type !== 'remove'), prev));
      const sel = changes.filter((c) => c.type === 'select');
      if (sel.length) {
        const current = new Set(useEditor.getState().selection);
        for (const c of sel) {
          if (c.selected) current.add(c.id);
          else current.delete(c.id);
        }
        select([...current]);
      }
    },
    [select],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<ShapeFlowEdge>[]) => setEdges((prev) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), prev)),
    [],
  );

  const onNodeDragStop: OnNodeDrag<LayerFlowNode> = useCallback(
    (_e, _node, dragged) => {
      const positions: Record<string, XY> = {};
      for (const n of dragged) positions[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      run({ type: 'moveNodes', positions });
    },
    [run],
  );

  const onConnect = useCallback(
    (c: Connection) => run({ type: 'connect', edge: makeEdge(c.source, c.target, portFromHandle(c.targetHandle)) }),
    [run],
  );

  // Delete and Backspace remove the selection as one command. React Flow's own delete key is off:
  // it tracks held keys itself and misses presses after a Ctrl shortcut such as undo.
  const edgesRef = useRef(edges);
  useEffect(() => {
    edgesRef.current = edges;
  }, [edges]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.key !== 'Delete' && e.key !== 'Backspace') || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.target as HTMLElement | null)?.closest('input, textarea, select, [contenteditable]')) return;
      const ids = useEditor.getState().selection;
      const es = edgesRef.current.filter((x) => x.selected).map((x) => makeEdge(x.source, x.target, x.data?.port ?? 0));
      if (!ids.length && !es.length) return;
      e.preventDefault();
      run({ type: 'remove', ids, edges: es });
      select([]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, select]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(LAYER_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(LAYER_DRAG_TYPE);
      if (!type || !(getLayer(type) || blockOf(useEditor.getState().view, type))) return;
      e.preventDefault();
      // Dropped on an edge (its line or its shape label): splice the layer into it.
      const edgeId = document
        .elementsFromPoint(e.clientX, e.clientY)
        .map((el) => el.closest('.react-flow__edge, .edge-label')?.getAttribute('data-id'))
        .find(Boolean);
      const onEdge = edgesRef.current.find((x) => x.id === edgeId);
      if (onEdge) {
        spliceLayer(type, onEdge.source, onEdge.target, onEdge.data?.port ?? 0);
        return;
      }
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addLayerAt(type, { x: p.x - NODE_WIDTH / 2, y: p.y - 20 });
    },
    [flow],
  );

  return (
    <div className="canvas" data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<LayerFlowNode, ShapeFlowEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        colorMode="system"
        minZoom={0.2}
        maxZoom={2}
        // Deep nets are tall: the wheel scrolls through them like a document; Ctrl+wheel or a pinch zooms.
        panOnScroll
        zoomOnScroll={false}
        zoomActivationKeyCode={ZOOM_KEYS}
        snapToGrid
        snapGrid={SNAP_GRID}
        proOptions={PRO_OPTIONS}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable nodeStrokeWidth={2} ariaLabel="Overview" nodeColor={minimapColor} style={MINIMAP_STYLE} />
      </ReactFlow>
      {scope && <BlockBar name={scope} />}
      <FindNode />
      {doc.nodes.length <= 1 && (
        <p className="canvas-hint" data-testid="canvas-hint">
          Drag layers from the palette, or click one to add it after the selected node. Connect a node’s bottom handle to another’s top.
        </p>
      )}
    </div>
  );
}

/**
 * Frames a newly opened graph: the whole graph when it fits at a readable zoom, otherwise its
 * top at a zoom where labels stay legible (deep nets are tall; the user scrolls down them).
 */
export function frameDocument(flow: ReactFlowInstance<LayerFlowNode, ShapeFlowEdge>, top = 40): void {
  const nodes = flow.getNodes();
  const el = document.querySelector('.canvas');
  if (!nodes.length || !el) return;
  const b = flow.getNodesBounds(nodes);
  const { width, height } = el.getBoundingClientRect();
  const pad = 40;
  const fit = Math.min((width - 2 * pad) / b.width, (height - top - pad) / b.height);
  if (fit >= READABLE_ZOOM && top <= pad) {
    void flow.fitView({ padding: 0.12, maxZoom: 1 });
    return;
  }
  const zoom = Math.min(1, Math.max(READABLE_ZOOM, Math.min(fit, (width - 2 * pad) / b.width)));
  void flow.setViewport({ x: width / 2 - (b.x + b.width / 2) * zoom, y: top - b.y * zoom, zoom });
}

/** Below this zoom the node labels are too small to read. */
const READABLE_ZOOM = 0.75;

/**
 * Adds a layer with its default parameters at a canvas position, selected, as one undoable step;
 * with `after`, also connects that node's output to it.
 */
export function addLayerAt(type: string, position: XY, after?: string): string {
  const { view, run, select } = useEditor.getState();
  const id = freshId(view, type);
  const params = defaultParams(type);
  const spot = freeSpot(view, position);
  const node = { id, type, ...(Object.keys(params).length ? { params } : {}), position: spot };
  run({ type: 'batch', commands: [{ type: 'addNode', node }, ...(after ? [{ type: 'connect' as const, edge: makeEdge(after, id) }] : [])] });
  select([id]);
  return id;
}


/** Splices a new layer of `type` into the edge source → target (port), as one undoable step, and selects it. */
export function spliceLayer(type: string, source: string, target: string, port: number): string {
  const { view, run, select } = useEditor.getState();
  const id = freshId(view, type);
  const params = defaultParams(type);
  const node = { id, type, ...(Object.keys(params).length ? { params } : {}) };
  run({ type: 'applyPatch', patch: [{ op: 'insertNode', node, between: { source, target, targetPort: port } }] });
  select([id]);
  return id;
}

/** Shown while a block's definition is open: which block, that every instance changes, and the way back. */
function BlockBar({ name }: { name: string }) {
  const instances = useEditor((s) => s.history.present.nodes.filter((n) => n.type === name).length);
  return (
    <div className="block-bar" data-testid="block-bar">
      <span>
        Editing block <b>{name}</b> · changes apply to all {instances} instance{instances === 1 ? '' : 's'}; shapes are those of the first
      </span>
      <button onClick={() => useEditor.getState().openBlock(null)} data-testid="close-block">
        Back to graph
      </button>
    </div>
  );
}
