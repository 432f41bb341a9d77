/** Layered top-to-bottom layout with elkjs; returns positions for a `moveNodes` command. */
import type { GraphDocument } from '../../contracts/index.js';
import type { XY } from '../document/commands.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

// elkjs is 1.5 MB; it loads on the first layout instead of with the app.
let elk: Promise<import('elkjs/lib/elk.bundled.js').ELK> | null = null;
const getElk = () => (elk ??= import('elkjs/lib/elk.bundled.js').then((m) => new m.default()));

/**
 * Spacing leaves room between layers for the shape label on each edge, and sorts inputs by port
 * so a node's port 0 comes from the left.
 */
export async function autoLayout(doc: GraphDocument, sizeOf: (id: string) => Size): Promise<Record<string, XY>> {
  const graph = await (await getElk()).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.nodeNode': '48',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: doc.nodes.map((n) => ({ id: n.id, ...sizeOf(n.id) })),
    edges: doc.edges
      .filter((e) => e.source !== e.target)
      .map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  });
  const out: Record<string, XY> = {};
  for (const c of graph.children ?? []) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return out;
}
