/**
 * Every layer's shape rule against TF.js: the lowered layer is built and applied to random
 * inputs, and its actual output shape and computeOutputShape must equal ours. Parameter
 * counts must equal TF.js's, except where PyTorch's convention (which the report follows)
 * differs: recurrent layers carry a second bias per gate.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { activationName } from '../../../../graph-compiler/layers/common.js';
import { runLayer, useCpu } from '../helpers.js';

beforeAll(useCpu);

type Case = [name: string, type: string, params: Record<string, unknown>, inputs: number[][], extraParams?: number, intBelow?: number];

const cases: Case[] = [
  ['Dense on a vector', 'Dense', { units: 7 }, [[5]]],
  ['Dense on the last axis of a sequence', 'Dense', { units: 3, useBias: false }, [[4, 6]]],
  ['Conv1D valid', 'Conv1D', { filters: 4, kernelSize: 3 }, [[11, 2]]],
  ['Conv1D same stride 2 odd length', 'Conv1D', { filters: 4, kernelSize: 3, strides: 2, padding: 'same' }, [[11, 2]]],
  ['Conv2D valid', 'Conv2D', { filters: 6, kernelSize: 5 }, [[28, 28, 1]]],
  ['Conv2D same stride 2 odd size', 'Conv2D', { filters: 3, kernelSize: 3, strides: 2, padding: 'same' }, [[15, 15, 2]]],
  ['Conv2D valid stride 2 odd size', 'Conv2D', { filters: 3, kernelSize: 3, strides: 2 }, [[15, 13, 2]]],
  ['Conv2D rectangular kernel', 'Conv2D', { filters: 2, kernelSize: [1, 3], strides: [1, 2] }, [[7, 9, 3]]],
  ['Conv2D dilated', 'Conv2D', { filters: 2, kernelSize: 3, dilationRate: 2 }, [[12, 12, 1]]],
  ['DepthwiseConv2D', 'DepthwiseConv2D', { kernelSize: 3, depthMultiplier: 2, padding: 'same' }, [[9, 9, 3]]],
  ['DepthwiseConv2D stride 2 valid', 'DepthwiseConv2D', { kernelSize: 3, strides: 2 }, [[10, 10, 4]]],
  ['SeparableConv2D', 'SeparableConv2D', { filters: 5, kernelSize: 3 }, [[10, 10, 3]]],
  ['SeparableConv2D same stride 2', 'SeparableConv2D', { filters: 5, kernelSize: 3, strides: 2, padding: 'same', depthMultiplier: 2 }, [[9, 9, 3]]],
  ['Conv2DTranspose valid', 'Conv2DTranspose', { filters: 4, kernelSize: 3, strides: 2 }, [[7, 7, 2]]],
  ['Conv2DTranspose same', 'Conv2DTranspose', { filters: 4, kernelSize: 4, strides: 2, padding: 'same' }, [[7, 5, 2]]],
  ['Conv2DTranspose kernel < stride', 'Conv2DTranspose', { filters: 1, kernelSize: 1, strides: 3 }, [[4, 4, 2]]],
  ['MaxPooling2D default', 'MaxPooling2D', {}, [[28, 28, 6]]],
  ['MaxPooling2D odd size', 'MaxPooling2D', { poolSize: 3, strides: 2 }, [[13, 13, 2]]],
  ['MaxPooling2D same odd size', 'MaxPooling2D', { poolSize: 3, strides: 2, padding: 'same' }, [[13, 13, 2]]],
  ['AveragePooling2D', 'AveragePooling2D', { poolSize: 2, strides: 2 }, [[10, 9, 3]]],
  ['GlobalAveragePooling2D', 'GlobalAveragePooling2D', {}, [[5, 7, 8]]],
  ['GlobalMaxPooling2D', 'GlobalMaxPooling2D', {}, [[5, 7, 8]]],
  ['ZeroPadding2D scalar', 'ZeroPadding2D', { padding: 2 }, [[5, 6, 1]]],
  ['ZeroPadding2D asymmetric', 'ZeroPadding2D', { padding: [[1, 2], [0, 3]] }, [[5, 6, 1]]],
  ['Flatten', 'Flatten', {}, [[5, 5, 16]]],
  ['Reshape with -1', 'Reshape', { targetShape: [-1, 8] }, [[4, 4, 8]]],
  ['Reshape exact', 'Reshape', { targetShape: [2, 3, 4] }, [[24]]],
  ['Permute', 'Permute', { dims: [2, 1] }, [[3, 5]]],
  ['Permute rank 3', 'Permute', { dims: [3, 1, 2] }, [[2, 3, 4]]],
  ['Dropout', 'Dropout', { rate: 0.3 }, [[4, 4]]],
  ['BatchNormalization on channels', 'BatchNormalization', {}, [[6, 6, 5]]],
  ['BatchNormalization on a vector', 'BatchNormalization', { momentum: 0.9, epsilon: 1e-5 }, [[7]]],
  ['LayerNormalization', 'LayerNormalization', {}, [[4, 9]]],
  ...activationName.options.map((a): Case => [`Activation ${a}`, 'Activation', { activation: a }, [[3, 4]]]),
  ['Dense with every activation lowers to a TF.js activation', 'Dense', { units: 2, activation: 'selu' }, [[3]]],
  ['Add', 'Add', {}, [[4, 4, 3], [4, 4, 3], [4, 4, 3]]],
  ['Multiply', 'Multiply', {}, [[6], [6]]],
  ['Concatenate channels', 'Concatenate', {}, [[4, 4, 3], [4, 4, 5]]],
  ['Concatenate axis 1', 'Concatenate', { axis: 1 }, [[2, 3], [4, 3]]],
  ['Embedding', 'Embedding', { inputDim: 20, outputDim: 6 }, [[7]], 0, 20],
  ['SimpleRNN last state', 'SimpleRNN', { units: 5 }, [[6, 3]], 5],
  ['SimpleRNN sequences', 'SimpleRNN', { units: 5, returnSequences: true }, [[6, 3]], 5],
  ['GRU', 'GRU', { units: 4 }, [[6, 3]], 3 * 4],
  ['LSTM sequences', 'LSTM', { units: 4, returnSequences: true }, [[6, 3]], 4 * 4],
  ['Bidirectional LSTM concat', 'Bidirectional', { layer: 'LSTM', units: 4 }, [[6, 3]], 2 * 4 * 4],
  ['Bidirectional GRU sum sequences', 'Bidirectional', { layer: 'GRU', units: 3, mergeMode: 'sum', returnSequences: true }, [[5, 2]], 2 * 3 * 3],
  ['MultiHeadAttention self', 'MultiHeadAttention', { numHeads: 2, keyDim: 4 }, [[5, 8], [5, 8]]],
  ['MultiHeadAttention cross with key', 'MultiHeadAttention', { numHeads: 3, keyDim: 2, valueDim: 5, outputShape: 7 }, [[4, 6], [9, 3], [9, 5]]],
  ['MultiHeadAttention causal no bias', 'MultiHeadAttention', { numHeads: 1, keyDim: 4, causal: true, useBias: false }, [[5, 8], [5, 8]]],
  ['PatchEmbedding', 'PatchEmbedding', { patchSize: 4, dim: 16 }, [[32, 32, 3]]],
  ['ClassToken', 'ClassToken', {}, [[64, 16]]],
  ['PositionEmbedding', 'PositionEmbedding', {}, [[65, 16]]],
  ['TokenSelect', 'TokenSelect', { index: 2 }, [[5, 16]]],
];

describe('shape rules agree with TF.js', () => {
  test.each(cases)('%s', (_name, type, params, inputs, extraParams = 0, intBelow) => {
    const run = runLayer(type, params, inputs, intBelow);
    expect(run.ours.ok).toBe(true);
    const shape = run.ours.ok ? [...run.ours.shape] : null;
    expect(shape).toEqual(run.tfjsShape);
    expect(shape).toEqual(run.tfjsComputed);
    expect(run.params!.trainable + run.params!.nonTrainable).toBe(run.tfjsParams + extraParams);
  });
});

type ErrorCase = [name: string, type: string, params: Record<string, unknown>, inputs: number[][], code: string, port: number];
const errorCases: ErrorCase[] = [
  ['Conv2D on a vector', 'Conv2D', { filters: 2, kernelSize: 3 }, [[10]], 'E_RANK', 0],
  ['Conv2D kernel larger than the input', 'Conv2D', { filters: 2, kernelSize: 5 }, [[3, 3, 1]], 'E_SHAPE', 0],
  ['MaxPooling2D on a sequence', 'MaxPooling2D', {}, [[10, 3]], 'E_RANK', 0],
  ['Conv1D on an image', 'Conv1D', { filters: 2, kernelSize: 3 }, [[8, 8, 1]], 'E_RANK', 0],
  ['Reshape with the wrong count', 'Reshape', { targetShape: [7, 7] }, [[50]], 'E_SHAPE', 0],
  ['Reshape -1 not dividing', 'Reshape', { targetShape: [-1, 3] }, [[10]], 'E_SHAPE', 0],
  ['Concatenate axis 0 is the batch', 'Concatenate', { axis: 0 }, [[4], [4]], 'E_BAD_PARAMS', 0],
  ['Permute wrong length', 'Permute', { dims: [1, 2, 3] }, [[3, 4]], 'E_BAD_PARAMS', 0],
  ['Add mismatch', 'Add', {}, [[28, 28, 64], [14, 14, 64]], 'E_SHAPE_MISMATCH', 1],
  ['Concatenate mismatch', 'Concatenate', {}, [[4, 4, 3], [5, 4, 3]], 'E_SHAPE_MISMATCH', 1],
  ['LSTM on a vector', 'LSTM', { units: 3 }, [[10]], 'E_RANK', 0],
  ['MultiHeadAttention on an image', 'MultiHeadAttention', { numHeads: 2, keyDim: 2 }, [[4, 4, 3], [4, 3]], 'E_RANK', 0],
  ['MultiHeadAttention key/value steps differ', 'MultiHeadAttention', { numHeads: 2, keyDim: 2 }, [[4, 3], [5, 3], [6, 3]], 'E_SHAPE_MISMATCH', 2],
  ['PatchEmbedding not dividing', 'PatchEmbedding', { patchSize: 5, dim: 8 }, [[32, 32, 3]], 'E_SHAPE', 0],
  ['TokenSelect past the end', 'TokenSelect', { index: 5 }, [[5, 4]], 'E_BAD_PARAMS', 0],
  ['BatchNormalization axis out of range', 'BatchNormalization', { axis: 4 }, [[4, 4, 2]], 'E_BAD_PARAMS', 0],
];

describe('shape errors', () => {
  test.each(errorCases)('%s', (_name, type, params, inputs, code, port) => {
    const def = runLayerDef(type);
    const p = def.params.safeParse(params);
    const r = def.inferShape(inputs, p.success ? p.data : (params as never));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toMatchObject({ code, port });
  });

  // Where TF.js itself has the layer, it must refuse the same inputs.
  const tfjsRefuses = errorCases.filter(([name]) =>
    ['Conv2D on a vector', 'MaxPooling2D on a sequence', 'Conv1D on an image', 'Reshape with the wrong count', 'Reshape -1 not dividing', 'Add mismatch', 'Concatenate mismatch', 'LSTM on a vector'].includes(name),
  );
  test.each(tfjsRefuses)('TF.js refuses it too: %s', (_name, type, params, inputs) => {
    expect(() => runLayer(type, params, inputs)).toThrow();
  });

  test('a kernel larger than its input: TF.js silently builds a [-1, -1] output; the compiler reports it', () => {
    const run = runLayer('Conv2D', { filters: 2, kernelSize: 5 }, [[3, 3, 1]]);
    expect(run.tfjsShape).toEqual([-1, -1, 2]);
    expect(run.ours).toMatchObject({ ok: false, problem: { code: 'E_SHAPE', port: 0 } });
  });

  test('Add names both shapes and the blamed port', () => {
    const def = runLayerDef('Add');
    const r = def.inferShape([[28, 28, 64], [14, 14, 64]], {});
    expect(r.ok ? null : r.problem.message).toMatch(/^Add: input 1 has shape \[14,14,64\] but input 0 has \[28,28,64\]/);
  });
});

import { getLayer } from '../../../../graph-compiler/index.js';
const runLayerDef = (type: string) => getLayer(type)!;
