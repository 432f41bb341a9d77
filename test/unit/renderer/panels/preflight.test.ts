import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { DatasetInfo, GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { applyCommand } from '../../../../renderer/document/commands.js';
import { preflight } from '../../../../renderer/panels/preflight.js';

const lenet = JSON.parse(readFileSync(new URL('../../../../templates/lenet.layerlab.json', import.meta.url), 'utf8')) as GraphDocument;
const fashion: DatasetInfo = { name: 'fashion-mnist', title: 'Fashion-MNIST', inputShape: [28, 28, 1], classes: 10, available: true, note: '' };
const check = (doc: GraphDocument, d: DatasetInfo = fashion) => preflight(compile(doc).report, d, doc.training?.loss);

describe('does the graph fit the dataset', () => {
  test('LeNet fits Fashion-MNIST', () => {
    expect(check(lenet)).toEqual([]);
  });

  test('a classifier with the wrong number of outputs is caught with the fix', () => {
    const five = applyCommand(lenet, { type: 'setParam', nodeId: 'logits', key: 'units', value: 5 });
    expect(check(five)).toEqual([expect.stringContaining('logits outputs 5 values per example but Fashion-MNIST has 10 classes')]);
  });

  test('a channel mismatch is caught; a different image size is not (the runtime resizes)', () => {
    const rgb = applyCommand(lenet, { type: 'setParam', nodeId: 'input', key: 'shape', value: [28, 28, 3] });
    expect(check(rgb)).toEqual([expect.stringContaining('set the Input shape to [28, 28, 1]')]);
    const big = applyCommand(lenet, { type: 'setParam', nodeId: 'input', key: 'shape', value: [32, 32, 1] });
    expect(check(big)).toEqual([]);
  });

  test('two outputs are refused: a classifier trains on one', () => {
    const two = applyCommand(lenet, { type: 'setOutputs', outputs: ['fc2', 'logits'] });
    expect(check(two)).toContainEqual(expect.stringContaining('The graph has 2 outputs'));
  });
});
