/**
 * A graph that uses every layer the PyTorch export translates, shaped so the tricky cases
 * occur: asymmetric 'same' padding (stride 2, even kernel, odd sizes) in conv and both
 * poolings, dilation, ZeroPadding2D with unequal sides, Concatenate on channels, softmax over
 * an image's channels, Dense on a feature map, Reshape image → sequence → image, BatchNorm
 * on 3-D, 2-D and 1-D inputs, Multiply, Add, LeakyReLU, Dropout and Flatten.
 */
import type { Doc } from './fixture.js';

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, params });

export const kitchenSink: Doc = {
  format: 'layerlab-graph',
  version: 1,
  name: 'Export kitchen sink',
  nodes: [
    n('input', 'Input', { shape: [9, 10, 3] }),
    n('pad', 'ZeroPadding2D', { padding: [[1, 0], [2, 1]] }),
    n('c1', 'Conv2D', { filters: 4, kernelSize: [3, 2], strides: 2, padding: 'same', activation: 'relu' }),
    n('c2', 'Conv2D', { filters: 4, kernelSize: 3, dilationRate: 2, padding: 'same', activation: 'tanh' }),
    n('ap', 'AveragePooling2D', { poolSize: 3, strides: 2, padding: 'same' }),
    n('mp', 'MaxPooling2D', { poolSize: 2, strides: 2, padding: 'same' }),
    n('cat', 'Concatenate', {}),
    n('bn', 'BatchNormalization', { momentum: 0.9, epsilon: 0.001 }),
    n('sm', 'Activation', { activation: 'softmax' }),
    n('dimg', 'Dense', { units: 5, activation: 'elu' }),
    n('c3', 'Conv2D', { filters: 5, kernelSize: 1, activation: 'sigmoid' }),
    n('mul', 'Multiply'),
    n('lr', 'Activation', { activation: 'leakyRelu' }),
    n('seq', 'Reshape', { targetShape: [-1, 5] }),
    n('d2', 'Dense', { units: 6, activation: 'gelu' }),
    n('bn2', 'BatchNormalization', { epsilon: 0.01 }),
    n('img', 'Reshape', { targetShape: [6, 2, 6] }),
    n('gmp', 'GlobalMaxPooling2D'),
    n('drop', 'Dropout', { rate: 0.5 }),
    n('flat', 'Flatten'),
    n('d3', 'Dense', { units: 6, activation: 'swish' }),
    n('bn3', 'BatchNormalization', {}),
    n('sum', 'Add'),
    n('act', 'Activation', { activation: 'selu' }),
    n('out', 'Dense', { units: 4, activation: 'softmax' }),
  ],
  edges: [
    ['input', 'pad'],
    ['pad', 'c1'],
    ['c1', 'c2'],
    ['c1', 'ap'],
    ['c2', 'mp'],
    ['ap', 'cat', 0],
    ['mp', 'cat', 1],
    ['cat', 'bn'],
    ['bn', 'sm'],
    ['sm', 'dimg'],
    ['sm', 'c3'],
    ['dimg', 'mul', 0],
    ['c3', 'mul', 1],
    ['mul', 'lr'],
    ['lr', 'seq'],
    ['seq', 'd2'],
    ['d2', 'bn2'],
    ['bn2', 'img'],
    ['img', 'gmp'],
    ['gmp', 'drop'],
    ['img', 'flat'],
    ['flat', 'd3'],
    ['d3', 'bn3'],
    ['drop', 'sum', 0],
    ['bn3', 'sum', 1],
    ['sum', 'act'],
    ['act', 'out'],
  ].map(([source, target, targetPort]) => ({ source, target, ...(targetPort === undefined ? {} : { targetPort }) })),
  outputs: ['out'],
};
