/** An edge labelled with the shape of the tensor it carries (e.g. 28×28×6). */
import { BaseEdge, EdgeLabelRenderer, getBezierPath, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatShape } from '../format.js';
import type { ShapeFlowEdge } from './toFlow.js';

/**
 * A long edge straight down a column (a residual shortcut) would run behind the nodes it skips;
 * it bows out to the right instead, further the longer it is.
 */
function skipPath({ sourceX, sourceY, targetX, targetY }: EdgeProps<ShapeFlowEdge>): [string, number, number] | null {
  const drop = targetY - sourceY;
  if (Math.abs(sourceX - targetX) > 60 || drop < 160) return null;
  // Half a node is 110 px wide; the curve's midpoint sits at 3/4 of the bulge, clear of the nodes.
  const bulge = Math.min(340, 200 + drop * 0.05);
  const path = `M ${sourceX},${sourceY} C ${sourceX + bulge},${sourceY + 90} ${targetX + bulge},${targetY - 90} ${targetX},${targetY}`;
  // Midpoint of the cubic: (P0 + 3 P1 + 3 P2 + P3) / 8.
  return [path, (sourceX + targetX) / 2 + (3 * bulge) / 4, (sourceY + targetY) / 2];
}

function ShapeEdgeView(props: EdgeProps<ShapeFlowEdge>) {
  const [path, labelX, labelY] = skipPath(props) ?? getBezierPath(props);
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
