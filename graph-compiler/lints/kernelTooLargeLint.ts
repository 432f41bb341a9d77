import { toPair } from '../layers/common.js';
import { editable, setParams } from './fixes.js';
import { warn, type Lint } from './lint.js';

const windowed = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'MaxPooling2D', 'AveragePooling2D']);

/**
 * With padding "same" a window much larger than its input still compiles, but once it spans
 * more than 2·size - 1 cells its outer weights only ever multiply padding zeros and learn
 * nothing (d2l 7.3). (With padding "valid" any window larger than the input is a shape error,
 * whose fix is padding "same".)
 */
export const kernelTooLargeLint: Lint = {
  name: 'kernelTooLarge',
  run: ({ shaped }) =>
    shaped.nodes.flatMap((s) => {
      if (!windowed.has(s.node.type) || s.params['padding'] !== 'same') return [];
      const x = s.inputs[0];
      const size = s.params['kernelSize'] ?? s.params['poolSize'];
      if (!x || x.length !== 3 || size === undefined) return [];
      const [kh, kw] = toPair(size as number | [number, number]);
      const reach = (size: number) => 2 * size - 1;
      if (kh <= reach(x[0]!) && kw <= reach(x[1]!)) return [];
      const key = s.params['kernelSize'] !== undefined ? 'kernelSize' : 'poolSize';
      const fitted = [Math.min(kh, x[0]!), Math.min(kw, x[1]!)];
      const value = fitted[0] === fitted[1] ? fitted[0]! : fitted;
      const id = s.node.id;
      return [
        warn(
          'W_KERNEL_TOO_LARGE',
          `${id}: the ${kh}x${kw} window is larger than its ${x[0]}x${x[1]} input, so its outer weights only ever see padding (d2l 7.3); use a ${fitted.join('x')} window`,
          [id],
          editable(shaped.graph, id) ? setParams(`Set ${key} to ${JSON.stringify(value)}`, id, { [key]: value }) : undefined,
        ),
      ];
    }),
};
