import type { PatchOp } from '../../contracts/index.js';
import { editable } from './fixes.js';
import { activationOf, warn, type Lint } from './lint.js';

/** Saturating activations this deep, with nothing to keep the signal scaled, starve early layers of gradient. */
export const DEEP_SATURATING = 5;
const saturating = new Set(['sigmoid', 'tanh']);
const recurrent = new Set(['SimpleRNN', 'GRU', 'LSTM', 'Bidirectional']);
const rescues = new Set(['BatchNormalization', 'LayerNormalization', 'Add']);

export const vanishingGradientLint: Lint = {
  name: 'vanishingGradient',
  run: ({ shaped }) => {
    if (shaped.nodes.some((s) => rescues.has(s.node.type))) return [];
    const culprits = shaped.nodes.filter((s) => !recurrent.has(s.node.type) && saturating.has(activationOf(s) ?? ''));
    if (culprits.length < DEEP_SATURATING) return [];
    const ids = culprits.map((s) => s.node.id as string);
    const patch: PatchOp[] = ids.filter((id) => editable(shaped.graph, id)).map((nodeId) => ({ op: 'setParam', nodeId, key: 'activation', value: 'relu' }));
    return [
      warn(
        'W_VANISHING_GRADIENT',
        `${ids.length} sigmoid/tanh layers in a plain stack (${ids.join(', ')}): their gradients are at most 0.25 (sigmoid) and shrink layer by layer, so early layers barely learn (d2l 5.4.1, "Vanishing Gradients"); use ReLU, or add BatchNormalization (d2l 8.5)`,
        ids,
        patch.length ? { title: 'Use ReLU in these layers', patch } : undefined,
      ),
    ];
  },
};
