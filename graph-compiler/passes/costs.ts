/** Costs per node and in total: parameters (as PyTorch counts them), FLOPs and activation memory per example. */
import type { NodeReport } from '../../contracts/index.js';
import { layers } from '../layers/registry.js';
import { product } from '../result.js';
import type { ShapedGraph } from './inferShapes.js';

export interface Costs {
  readonly nodes: readonly NodeReport[];
  readonly totalParams: number;
  readonly trainableParams: number;
  readonly flops: number;
  readonly activationBytes: number;
}

const BYTES_PER_FLOAT = 4;

export function estimateCosts(shaped: ShapedGraph): Costs {
  let totalParams = 0;
  let trainableParams = 0;
  let flops = 0;
  let activationBytes = 0;
  const nodes = shaped.nodes.map((s): NodeReport => {
    const def = layers.get(s.node.type)!;
    const known = s.shape !== null;
    const count = known && def.paramCount ? def.paramCount(s.inputs, s.params, s.shape!) : { trainable: 0, nonTrainable: 0 };
    const f = known && def.flops ? def.flops(s.inputs, s.params, s.shape!) : 0;
    const act = known ? product(s.shape!) * BYTES_PER_FLOAT : 0;
    const params = count.trainable + count.nonTrainable;
    totalParams += params;
    trainableParams += count.trainable;
    flops += f;
    activationBytes += act;
    return { id: s.node.id, type: s.node.type, outputShape: s.shape, params, trainableParams: count.trainable, flops: f, activationBytes: act };
  });
  return { nodes: withInstances(shaped, nodes), totalParams, trainableParams, flops, activationBytes };
}

/** Each block instance gets a row with its inner nodes' totals, just before the first of them. */
function withInstances(shaped: ShapedGraph, nodes: readonly NodeReport[]): readonly NodeReport[] {
  const instances = shaped.graph.instances;
  if (!instances?.size) return nodes;
  const rows = new Map<string, NodeReport>();
  for (const inst of instances.values()) {
    const inner = shaped.nodes.map((s, i) => [s, nodes[i]!] as const).filter(([s]) => s.node.instance === inst.id).map(([, r]) => r);
    const sum = (k: 'params' | 'trainableParams' | 'flops' | 'activationBytes') => inner.reduce((a, r) => a + r[k], 0);
    rows.set(inst.id, {
      id: inst.id,
      type: inst.type,
      outputShape: shaped.byId.get(inst.output)?.shape ?? null,
      params: sum('params'),
      trainableParams: sum('trainableParams'),
      flops: sum('flops'),
      activationBytes: sum('activationBytes'),
    });
  }
  const out: NodeReport[] = [];
  shaped.nodes.forEach((s, i) => {
    const row = s.node.instance === undefined ? undefined : rows.get(s.node.instance);
    if (row) {
      out.push(row);
      rows.delete(s.node.instance!);
    }
    out.push(nodes[i]!);
  });
  return out;
}
