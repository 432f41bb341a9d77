/** An edge labelled with the shape of the tensor it carries (e.g. 28×28×6). */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../format.js';
import type { ShapeFlowEdge } from './toFlow.js';

function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const [path, labelX, labelY] = getBezierPath(props);
  const shape = props.data?.shape ?? null;
  const severity = props.data?.severity ?? null;
  return (
    <>
      <BaseEdge id={props.id} path={path} className={severity ? `edge-${severity}` : undefined} />
      <EdgeLabelRenderer>
        <div
          className={`edge-label nodrag nopan${severity ? ` ${severity}` : ''}${props.selected ? ' selected' : ''}`}
          style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          data-testid={`edge-label-${props.source}-${props.target}`}
          data-port={props.data?.port ?? 0}
          title={shape ? `${shape.reduce((a, b) => a * b, 1).toLocaleString('en-US')} values per example` : 'Shape unknown: fix the problems upstream'}
          data-id={props.id}
        >
          {formatShape(shape)}
        </div>
      </EdgeLabelRenderer>
    </>
  );
}

export const ShapeEdge = memo(ShapeEdgeView);
