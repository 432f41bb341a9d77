import type { QuickFix } from '../../contracts/index.js';
import { editable, setParams } from './fixes.js';
import { activationOf, warn, type Lint } from './lint.js';

/** softmaxCrossEntropy applies the softmax itself, stably; a softmax on the output applies it twice (d2l 4.5.3). */
export const doubleSoftmaxLint: Lint = {
  name: 'doubleSoftmax',
  run: ({ shaped, doc, outputs }) => {
    const loss = doc.training?.loss ?? 'softmaxCrossEntropy';
    if (loss !== 'softmaxCrossEntropy') return [];
    return outputs.flatMap((id) => {
      const s = shaped.byId.get(id as never);
      if (!s || activationOf(s) !== 'softmax') return [];
      let fix: QuickFix | undefined;
      if (editable(shaped.graph, id))
        fix =
          s.node.type === 'Activation'
            ? { title: `Remove the softmax node ${id}`, patch: [{ op: 'removeNode', nodeId: id, reconnect: true }] }
            : setParams(`Set ${id}'s activation to linear`, id, { activation: 'linear' });
      return [
        warn(
          'W_DOUBLE_SOFTMAX',
          `${id}: the output applies softmax, but the softmaxCrossEntropy loss applies softmax again to what it is given (d2l 4.5.3, "Softmax Revisited"); output raw scores (activation linear) and let the loss do it`,
          [id],
          fix,
        ),
      ];
    });
  },
};
