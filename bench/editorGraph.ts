/**
 * The editor bench's graph: an Input, a probe pair of Dense layers (the one the bench edits and
 * the one after it, whose edge label shows the edit), then residual MLP units
 * (Dense+relu → Dense → Add with the unit's input) and a classifier, laid out top to bottom in
 * three columns so the top of the graph is on screen at the zoom the editor opens it with.
 */
import type { GraphDocument } from '../contracts/index.js';

/** The node whose `units` the bench edits, and the node after it (edge label PROBE → PROBE_NEXT). */
export const PROBE = 'probe';
export const PROBE_NEXT = 'probe_out';
/** The node the bench drags: near the top of the first column, on screen after opening. */
export const DRAGGED = 'u1_dense1';

const WIDTH = 64;
const ROW = 110;
const COLUMN = 320;

/** A valid document of exactly `size` nodes (size ≥ 8). */
export function editorGraph(size: number): GraphDocument {
  const rows = Math.ceil(size / 3);
  const nodes: GraphDocument['nodes'] = [];
  const edges: GraphDocument['edges'] = [];
  const add = (id: string, type: string, params: Record<string, unknown>, from: string[]) => {
    const i = nodes.length;
    const position = { x: Math.floor(i / rows) * COLUMN, y: (i % rows) * ROW };
    nodes.push({ id, type, ...(Object.keys(params).length ? { params: params as never } : {}), position });
    from.forEach((source, targetPort) => edges.push(from.length > 1 ? { source, target: id, targetPort } : { source, target: id }));
    return id;
  };
  let prev = add('input', 'Input', { shape: [WIDTH] }, []);
  prev = add(PROBE, 'Dense', { units: 32, activation: 'relu' }, [prev]);
  prev = add(PROBE_NEXT, 'Dense', { units: WIDTH }, [prev]);
  for (let u = 0; nodes.length + 3 <= size - 1; u++) {
    const a = add(`u${u}_dense1`, 'Dense', { units: WIDTH, activation: 'relu' }, [prev]);
    const b = add(`u${u}_dense2`, 'Dense', { units: WIDTH }, [a]);
    prev = add(`u${u}_add`, 'Add', {}, [b, prev]);
  }
  while (nodes.length < size - 1) prev = add(`act${nodes.length}`, 'Activation', { activation: 'relu' }, [prev]);
  add('logits', 'Dense', { units: 10 }, [prev]);
  return { format: 'layerlab-graph', version: 1, name: `bench-${size}`, nodes, edges, outputs: ['logits'] } as GraphDocument;
}
