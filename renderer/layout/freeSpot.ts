/** Where a new node goes so it does not cover an existing one. */
import type { XY } from '../document/commands.js';
import { NODE_WIDTH } from '../canvas/nodeSize.js';

/** Node footprint used to keep new nodes off existing ones (a node is about 60 px tall). */
const FOOTPRINT = { width: NODE_WIDTH + 40, height: 90 };

/** The position nearest `p`, moving right, where a new node does not cover an existing one. */
export function freeSpot(doc: { readonly nodes: readonly { readonly position?: XY | undefined }[] }, p: XY): XY {
  const taken = doc.nodes.flatMap((n) => (n.position ? [n.position] : []));
  let x = Math.round(p.x);
  const y = Math.round(p.y);
  for (let i = 0; i < 50 && taken.some((t) => Math.abs(t.x - x) < FOOTPRINT.width && Math.abs(t.y - y) < FOOTPRINT.height); i++) x += FOOTPRINT.width;
  return { x, y };
}
