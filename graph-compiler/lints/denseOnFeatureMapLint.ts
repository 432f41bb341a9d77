import { edgeIndex } from '../ir.js';
import { fmt } from '../result.js';
import { editable, insertBetween } from './fixes.js';
import { warn, type Lint } from './lint.js';

/**
 * Dense acts on the last axis only, so on an [h, w, c] feature map it mixes channels per pixel
 * and keeps the image shape; classifiers flatten first (d2l 7.6, LeNet).
 */
export const denseOnFeatureMapLint: Lint = {
  name: 'denseOnFeatureMap',
  run: ({ shaped }) =>
    shaped.nodes.flatMap((s) => {
      const x = s.inputs[0];
      if (s.node.type !== 'Dense' || !x || x.length < 3 || !s.shape) return [];
      const edge = edgeIndex(shaped.graph).incoming.get(s.node.id)![0]!;
      const fix = editable(shaped.graph, edge.source, s.node.id)
        ? insertBetween(shaped.graph, `Insert a Flatten before ${s.node.id}`, edge.source, s.node.id, edge.targetPort, {
            idBase: `${edge.source}_flatten`,
            type: 'Flatten',
            params: {},
          })
        : undefined;
      return [
        warn(
          'W_DENSE_ON_FEATURE_MAP',
          `${s.node.id}: Dense on the ${x.length}-D input ${fmt(x)} only mixes the last axis and outputs ${fmt(s.shape)}; insert a Flatten before it to use the whole feature map (d2l 7.6)`,
          [s.node.id],
          fix,
        ),
      ];
    }),
};
