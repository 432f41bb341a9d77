/** Lowering: the shaped graph → plain data that the runtime turns into a TF.js model. */
import type { Shape } from '../../contracts/index.js';
import { edgeIndex } from '../ir.js';
import { layers } from '../layers/registry.js';
import type { LoweredLayer } from '../layers/defineLayer.js';
import type { ShapedGraph } from './inferShapes.js';

export interface LoweredNode extends LoweredLayer {
  readonly id: string;
  /** Ids of the nodes feeding this one, ordered by port. */
  readonly inputs: readonly string[];
  readonly outputShape: Shape;
  /** The activation layer after this one, which its training kernel may apply itself (passes/fuse.ts). */
  readonly fusedActivation?: 'relu';
}

export interface LoweredModel {
  readonly name: string;
  /** In topological order; Input nodes lower to InputLayer with no inputs. */
  readonly nodes: readonly LoweredNode[];
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** Requires a graph with no errors: every shape is known. */
export function lower(shaped: ShapedGraph, name: string, outputs: readonly string[]): LoweredModel {
  const { incoming } = edgeIndex(shaped.graph);
  const nodes = shaped.nodes.map((s): LoweredNode => {
    const def = layers.get(s.node.type)!;
    const inputs = (incoming.get(s.node.id) ?? []).map((e) => e.source as string);
    return { id: s.node.id, ...def.lower(s.params, s.inputs), inputs, outputShape: s.shape! };
  });
  return { name, nodes, inputs: nodes.filter((n) => n.className === 'InputLayer').map((n) => n.id), outputs };
}
