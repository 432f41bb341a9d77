/** Ctrl+F: find a node of the graph (or open block) by id, label or type; Enter selects and centres it. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useEditor } from '../state/editorStore.js';

export function FindNode() {
  const [query, setQuery] = useState<string | null>(null);
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const nodes = useEditor((s) => s.view.nodes);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        // Open: the input focuses itself when it mounts. Already open: select its text, now,
        // so that what is typed next replaces it (a deferred select() would also swallow
        // the first keys typed into a box that just opened).
        if (input.current) {
          input.current.focus();
          input.current.select();
        } else setQuery('');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const matches = useMemo(() => {
    const q = (query ?? '').trim().toLowerCase();
    if (!q) return [];
    return nodes.filter((n) => [n.id, n.label ?? '', n.type].some((s) => s.toLowerCase().includes(q))).map((n) => n.id);
  }, [nodes, query]);

  if (query === null) return null;
  const pick = (i: number) => {
    const id = matches[i];
    if (id) useEditor.getState().select([id], true);
  };
  return (
    <div className="find-node" role="search">
      <input
        ref={input}
        autoFocus
        value={query}
        placeholder="Find node: id, label or type"
        aria-label="Find node"
        onChange={(e) => {
          setQuery(e.target.value);
          setIndex(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setQuery(null);
          if (e.key === 'Enter' && matches.length) {
            // Enter again moves to the next match.
            const i = index % matches.length;
            pick(i);
            setIndex(i + 1);
          }
        }}
        data-testid="find-node"
      />
      <span className="muted">{query.trim() ? `${matches.length} found` : ''}</span>
      <button onClick={() => setQuery(null)} aria-label="Close">
        ×
      </button>
    </div>
  );
}
