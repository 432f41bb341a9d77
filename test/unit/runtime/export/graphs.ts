/** Graphs the export tests run through PyTorch and the Keras stand-in, each aimed at the cases that go wrong. */
import * as tf from '@tensorflow/tfjs-core';
import type { Doc } from './fixture.js';

const n = (id: string, type: string, params: Record<string, unknown> = {}) => ({ id, type, params });

/**
 * A graph that uses the core image layers, shaped so the tricky cases
 * occur: asymmetric 'same' padding (stride 2, even kernel, odd sizes) in conv and both
 * poolings, dilation, ZeroPadding2D with unequal sides, Concatenate on channels, softmax over
 * an image's channels, Dense on a feature map, Reshape image → sequence → image, BatchNorm
 * on 3-D, 2-D and 1-D inputs, Multiply, Add, LeakyReLU, Dropout and Flatten.
 */
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

/** Causal cross-attention with three different inputs, valueDim ≠ keyDim, no biases and an output width of its own. */
export const attention: Doc = {
  format: 'layerlab-graph',
  version: 1,
  name: 'Export attention',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [5, 8] } },
    { id: 'q', type: 'Dense', params: { units: 8 } },
    { id: 'v', type: 'Dense', params: { units: 6 } },
    { id: 'k', type: 'Dense', params: { units: 7 } },
    { id: 'attn', type: 'MultiHeadAttention', params: { numHeads: 2, keyDim: 3, valueDim: 4, outputShape: 5, causal: true, useBias: false } },
    { id: 'ln', type: 'LayerNormalization', params: { epsilon: 0.01 } },
    { id: 'first', type: 'TokenSelect', params: { index: 1 } },
    { id: 'out', type: 'Dense', params: { units: 3 } },
  ],
  edges: [
    { source: 'input', target: 'q' },
    { source: 'input', target: 'v' },
    { source: 'input', target: 'k' },
    { source: 'q', target: 'attn', targetPort: 0 },
    { source: 'v', target: 'attn', targetPort: 1 },
    { source: 'k', target: 'attn', targetPort: 2 },
    { source: 'attn', target: 'ln' },
    { source: 'ln', target: 'first' },
    { source: 'first', target: 'out' },
  ],
  outputs: ['out'],
};

/** Stacked recurrent layers returning sequences, a relu GRU and a bias-free relu SimpleRNN. */
export const recurrentStack: Doc = {
  format: 'layerlab-graph',
  version: 1,
  name: 'Export recurrent stack',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [7, 5] } },
    { id: 'lstm', type: 'LSTM', params: { units: 6, returnSequences: true } },
    { id: 'gru', type: 'GRU', params: { units: 4, activation: 'relu', returnSequences: true } },
    { id: 'rnn', type: 'SimpleRNN', params: { units: 3, activation: 'relu', useBias: false } },
    { id: 'out', type: 'Dense', params: { units: 2 } },
  ],
  edges: [
    { source: 'input', target: 'lstm' },
    { source: 'lstm', target: 'gru' },
    { source: 'gru', target: 'rnn' },
    { source: 'rnn', target: 'out' },
  ],
  outputs: ['out'],
};

/** Depthwise, separable and transposed convolutions (stride > kernel too), Permute, Conv1D same and valid. */
export const convolutions: Doc = {
  format: 'layerlab-graph',
  version: 1,
  name: 'Export convolutions',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [7, 8, 3] } },
    { id: 'dw', type: 'DepthwiseConv2D', params: { kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2, activation: 'relu' } },
    { id: 'sep', type: 'SeparableConv2D', params: { filters: 4, kernelSize: [3, 2], padding: 'same', depthMultiplier: 2 } },
    { id: 'up', type: 'Conv2DTranspose', params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same' } },
    { id: 'up2', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: 2, strides: 3, padding: 'same', activation: 'tanh' } },
    { id: 'up3', type: 'Conv2DTranspose', params: { filters: 2, kernelSize: 3 } },
    { id: 'perm', type: 'Permute', params: { dims: [2, 1, 3] } },
    { id: 'pool', type: 'MaxPooling2D', params: { poolSize: 4 } },
    { id: 'seq', type: 'Reshape', params: { targetShape: [18, 4] } },
    { id: 'c1', type: 'Conv1D', params: { filters: 3, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' } },
    { id: 'c2', type: 'Conv1D', params: { filters: 2, kernelSize: 2 } },
    { id: 'f1', type: 'Flatten' },
    { id: 'f2', type: 'Flatten' },
    { id: 'cat', type: 'Concatenate' },
    { id: 'out', type: 'Dense', params: { units: 3 } },
  ],
  edges: [
    ['input', 'dw'],
    ['dw', 'sep'],
    ['sep', 'up'],
    ['up', 'up2'],
    ['up', 'up3'],
    ['up2', 'perm'],
    ['perm', 'pool'],
    ['pool', 'seq'],
    ['seq', 'c1'],
    ['c1', 'c2'],
    ['c2', 'f1'],
    ['up3', 'f2'],
    ['f1', 'cat'],
    ['f2', 'cat'],
    ['cat', 'out'],
  ].map(([source, target]) => ({ source: source!, target: target! })),
  outputs: ['out'],
};

/** Token ids → Embedding → bidirectional GRU (sequences, concat) → bidirectional LSTM (last step, sum) and SimpleRNN (ave). */
export const tokens: Doc = {
  format: 'layerlab-graph',
  version: 1,
  name: 'Export bidirectional',
  nodes: [
    { id: 'input', type: 'Input', params: { shape: [6] } },
    { id: 'emb', type: 'Embedding', params: { inputDim: 10, outputDim: 4 } },
    { id: 'bigru', type: 'Bidirectional', params: { layer: 'GRU', units: 3, returnSequences: true } },
    { id: 'bilstm', type: 'Bidirectional', params: { layer: 'LSTM', units: 2, mergeMode: 'sum' } },
    { id: 'birnn', type: 'Bidirectional', params: { layer: 'SimpleRNN', units: 2, mergeMode: 'ave' } },
    { id: 'cat', type: 'Concatenate' },
  ],
  edges: [
    { source: 'input', target: 'emb' },
    { source: 'emb', target: 'bigru' },
    { source: 'bigru', target: 'bilstm' },
    { source: 'bigru', target: 'birnn' },
    { source: 'bilstm', target: 'cat', targetPort: 0 },
    { source: 'birnn', target: 'cat', targetPort: 1 },
  ],
  outputs: ['cat'],
};

/** Random token ids in [0, 10) for `tokens`. */
export const tokenIds = (shape: number[], seed: number) => tf.tidy(() => tf.floor(tf.randomUniform(shape, 0, 10, 'float32', seed)));
