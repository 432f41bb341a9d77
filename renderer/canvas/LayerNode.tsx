/** One layer on the canvas: its type, id, output shape and parameter count, with one handle per input port. */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatCount, formatShape } from '../format.js';
import { useTraining } from '../state/trainStore.js';
import { NODE_WIDTH } from './nodeSize.js';
import { inHandle, type LayerFlowNode } from './toFlow.js';

export { NODE_WIDTH };

function LayerNodeView({ data, selected }: NodeProps<LayerFlowNode>) {
  const cls = ['layer-node', data.severity ?? '', selected ? 'selected' : '', data.known ? '' : 'unknown', data.block ? 'block' : ''].filter(Boolean).join(' ');
  const n = data.inputs.length;
  return (
    <div className={cls} style={{ width: NODE_WIDTH }} data-testid={`node-${data.id}`} data-severity={data.severity ?? 'ok'} title={data.problems.join('\n') || undefined}>
      {data.inputs.map((name, i) => (
        <Handle
          key={i}
          id={inHandle(i)}
          type="target"
          position={Position.Top}
          style={{ left: `${((i + 1) / (n + 1)) * 100}%` }}
          className="port"
          data-testid={`handle-${data.id}-in-${i}`}
        >
          {n > 1 && <span className="port-name">{name}</span>}
        </Handle>
      ))}
      <div className="layer-node-head">
        <span className="layer-type" data-testid="node-type">{data.type}</span>
        <span className="layer-id" data-testid="node-id">{data.label ?? data.id}</span>
      </div>
      <div className="layer-node-body">
        <span className="layer-shape" data-testid="node-shape">{formatShape(data.shape)}</span>
        <span className="layer-params" data-testid="node-params" title={`${data.params.toLocaleString('en-US')} parameters`}>
          {data.params ? `${formatCount(data.params)} params` : 'no params'}
        </span>
      </div>
      {data.severity && (
        <div className="layer-problem" data-testid="node-problem">
          {data.problems[0]}
        </div>
      )}
      <HealthLine id={data.id} />
      {data.output && (
        <span className="output-badge" data-testid="node-output" title="A model output: the loss is computed on it">
          output
        </span>
      )}
      <Handle id="out" type="source" position={Position.Bottom} className="port" data-testid={`handle-${data.id}-out`} />
    </div>
  );
}

/** During training: this layer's gradient norm and, for ReLU layers, the share of dead units. */
function HealthLine({ id }: { id: string }) {
  const h = useTraining((s) => s.health[id]);
  if (!h || (h.gradNorm === 0 && h.weightNorm === 0 && h.deadFraction === null)) return null;
  const dead = h.deadFraction !== null && h.deadFraction > 0.5;
  const vanishing = h.weightNorm > 0 && h.gradNorm < 1e-6;
  return (
    <div
      className={`layer-health${dead || vanishing ? ' bad' : ''}`}
      data-testid="node-health"
      title={`gradient norm ${h.gradNorm.toExponential(2)}, weight norm ${h.weightNorm.toExponential(2)}, activations mean ${h.activationMean.toFixed(3)} ± ${h.activationStd.toFixed(3)}`}
    >
      {h.weightNorm > 0 && <span>∇ {h.gradNorm.toExponential(1)}</span>}
      {h.deadFraction !== null && <span>dead {(h.deadFraction * 100).toFixed(0)}%</span>}
      <span>act {h.activationStd.toFixed(2)}σ</span>
    </div>
  );
}

export const LayerNode = memo(LayerNodeView);
