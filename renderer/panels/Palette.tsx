/**
 * Every layer kind from the compiler's registry, grouped by category and searchable (`/` focuses
 * the search). Drag one onto the canvas, or click it to add it after the selected node, connected
 * (spliced into the chain when that node feeds exactly one other).
 */
import { useReactFlow } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { addLayerAt, LAYER_DRAG_TYPE, spliceLayer } from '../canvas/Canvas.js';
import { portOf } from '../document/commands.js';
import { useEditor } from '../state/editorStore.js';
import { categoryTitle, searchLayers } from './searchLayers.js';

export function Palette() {
  const [query, setQuery] = useState('');
  const search = useRef<HTMLInputElement>(null);
  const flow = useReactFlow();
  const blocks = useEditor((s) => s.view.blocks);
  const groups = useMemo(() => searchLayers(query, blocks), [query, blocks]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || t?.closest('input, textarea, select, [contenteditable]')) return;
      e.preventDefault();
      search.current?.focus();
      search.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const add = (type: string) => {
    const { view: doc, selection } = useEditor.getState();
    const after = selection.length === 1 ? doc.nodes.find((n) => n.id === selection[0]) : undefined;
    const outgoing = after ? doc.edges.filter((e) => e.source === after.id) : [];
    if (after && outgoing.length === 1) {
      // In a chain, the new layer goes between the selected node and the next one.
      spliceLayer(type, after.id, outgoing[0]!.target, portOf(outgoing[0]!));
      return;
    }
    if (after?.position) {
      addLayerAt(type, { x: after.position.x, y: after.position.y + 120 }, after.id);
      return;
    }
    const r = document.querySelector('.canvas')?.getBoundingClientRect();
    const centre = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
    addLayerAt(type, { x: centre.x - 100, y: centre.y - 30 });
  };

  return (
    <aside className="palette" data-testid="palette">
      <input
        ref={search}
        className="search"
        type="search"
        placeholder="Search layers  ( / )"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            setQuery('');
            search.current?.blur();
          }
          const first = groups[0]?.[1][0];
          if (e.key === 'Enter' && first) add(first.type);
        }}
        data-testid="palette-search"
        aria-label="Search layers"
      />
      <div className="palette-list">
        {groups.map(([category, items]) => (
          <section key={category} data-testid={`palette-group-${category}`}>
            <h3>{categoryTitle(category)}</h3>
            {items.map((l) => (
              <button
                key={l.type}
                className="palette-item"
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.setData(LAYER_DRAG_TYPE, l.type);
                  e.dataTransfer.effectAllowed = 'copy';
                }}
                onClick={() => add(l.type)}
                title={l.doc}
                data-testid={`palette-item-${l.type}`}
              >
                {l.type}
              </button>
            ))}
          </section>
        ))}
        {!groups.length && <p className="hint">No layer matches “{query}”.</p>}
      </div>
    </aside>
  );
}
