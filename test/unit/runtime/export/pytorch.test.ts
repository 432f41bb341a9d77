/**
 * The PyTorch export against PyTorch itself: the generated module, loaded with its weights in
 * /usr/bin/python3 (Debian's python3-torch 1.13), must give the TF.js model's outputs on the
 * same random inputs (max abs error ≤ 1e-4). Where PyTorch is missing these tests are skipped
 * and say why in their names; they never pass without running.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, test } from 'vitest';
import { compile } from '../../../../graph-compiler/index.js';
import { ExportError, exportRun } from '../../../../runtime/export/index.js';
import { generatePytorch } from '../../../../runtime/export/pytorch.js';
import { runTraining } from '../../../../runtime/train/run.js';
import { fixtureRun, maxAbsDiff, python, pythonWith, savedModelOutput, template, type Doc } from './fixture.js';
import { attention, convolutions, kitchenSink, recurrentStack, tokenIds, tokens } from './graphs.js';

const torch = pythonWith('torch, numpy');
const title = (name: string) => (torch.ok ? name : `${name} (SKIPPED: ${torch.why})`);

/** Runs the exported module on the fixture's input; returns PyTorch's output. */
async function torchOutput(
  doc: Doc,
  seed: number,
  forward: 'inference' | 'training' = 'inference',
  makeInput?: (shape: number[], seed: number) => tf.Tensor,
): Promise<{ tfjs: Float32Array; torch: Float32Array; shape: readonly number[] }> {
  const run = await fixtureRun(doc, seed, 3, forward, makeInput);
  return { tfjs: run.output, torch: exportAndRun(run.dir, run.input, run.inputShape, run.outputShape), shape: run.outputShape };
}

/** Exports `runDir` to PyTorch and runs the module on `input` in /usr/bin/python3. */
function exportAndRun(dir: string, input: Float32Array, inputShape: readonly number[], outputShape: readonly number[]): Float32Array {
  const run = { dir, input, inputShape, outputShape };
  const out = join(run.dir, 'export-pytorch');
  const result = exportRun(run.dir, 'pytorch', out);
  expect(result.files.map((f) => f.slice(out.length + 1))).toEqual(['model.py', 'weights.npz']);
  writeFileSync(join(run.dir, 'x.f32'), run.input);
  const r = python(
    [
      'import sys, numpy as np, torch',
      `sys.path.insert(0, ${JSON.stringify(out)})`,
      'from model import load',
      'net = load()',
      `x = np.fromfile(${JSON.stringify(join(run.dir, 'x.f32'))}, dtype="<f4").reshape(${JSON.stringify(run.inputShape)})`,
      'with torch.no_grad():',
      '    y = net(torch.from_numpy(x))',
      `y.numpy().astype("<f4").tofile(${JSON.stringify(join(run.dir, 'y.f32'))})`,
      'print(tuple(y.shape))',
    ].join('\n'),
  );
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe(`(${run.outputShape.join(', ')})`);
  const bytes = readFileSync(join(run.dir, 'y.f32'));
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

/** The same layers and weights on a smaller input: keeps the pure-JS forward pass short. */
function atInput(doc: Doc, shape: number[]): Doc {
  for (const node of doc.nodes) if (node.type === 'Input') node.params = { shape };
  return doc;
}

/** ResNet-18's blocks at 1/8 of the width on 16x16 inputs: every stride-2 'same' pad is asymmetric there. */
function smallResnet(): Doc {
  const doc = template('resnet18');
  for (const node of doc.nodes) {
    if (node.type === 'Input') node.params = { shape: [16, 16, 2] };
    if (typeof node.params?.filters === 'number') node.params.filters /= 8;
  }
  return doc;
}

describe.skipIf(!torch.ok)(title('PyTorch export matches TF.js outputs (python3-torch)'), () => {
  test.each([
    ['MLP', () => template('mlp'), 1],
    ['LeNet (sigmoid, average pooling, same padding, Flatten after conv)', () => template('lenet'), 2],
    ['LeNet with BatchNormalization (moving statistics, epsilon, momentum)', () => template('batchnorm-lenet'), 3],
    ['ResNet-18 blocks (expanded ids, projections, stride-2 asymmetric same padding)', smallResnet, 4],
    ['every supported layer (kitchen sink)', () => kitchenSink, 5],
    ['NiN at 96x96 (1x1 convolutions, global average pooling)', () => atInput(template('nin'), [96, 96, 1]), 8],
    ['GoogLeNet (Inception blocks: Concatenate on channels)', () => template('googlenet'), 9],
    ['DenseNet (dense blocks, transitions)', () => template('densenet'), 10],
    ['ViT-tiny (patch embedding, class token, position embedding, attention, LayerNorm, token select)', () => template('vit-tiny'), 13],
    ['SimpleRNN template (nn.RNN)', () => template('rnn'), 16],
    ['GRU template (reset gate before the recurrent matmul, as TF.js)', () => template('gru'), 18],
    ['stacked LSTM → GRU (relu) → SimpleRNN (relu, no bias), sequences in between', () => recurrentStack, 19],
    ['depthwise, separable, transposed (same, k < s, valid) convolutions, Permute, Conv1D', () => convolutions, 21],
    ['causal cross-attention (query, value, key; valueDim ≠ keyDim; no biases)', () => attention, 14],
  ])('%s', async (_name, doc, seed) => {
    const r = await torchOutput(doc(), seed);
    expect(r.torch.length).toBe(r.tfjs.length);
    // Guard against a vacuous match: the outputs must depend on the input.
    expect(new Set(Array.from(r.tfjs, (v) => v.toFixed(4))).size).toBeGreaterThan(1);
    expect(maxAbsDiff(r.torch, r.tfjs)).toBeLessThanOrEqual(1e-4);
  });

  test('Embedding and Bidirectional GRU / LSTM / SimpleRNN (concat, sum, ave; sequences and last step)', async () => {
    const r = await torchOutput(tokens, 20, 'inference', tokenIds);
    expect(maxAbsDiff(r.torch, r.tfjs)).toBeLessThanOrEqual(1e-4);
  });

  // TF.js itself throws "Tensor is disposed" running this template in inference mode (a tensor
  // feeding attention on two ports and a residual Add); with dropout 0 and no BatchNormalization
  // its training-mode forward pass is the same function, so that is the reference here.
  test('Transformer encoder (Reshape rows to a sequence, post-norm attention blocks), dropout 0', async () => {
    const doc = template('transformer-encoder') as Doc & { blocks: Record<string, { params: Record<string, unknown> }> };
    for (const block of Object.values(doc.blocks)) if ('dropout' in block.params) block.params.dropout = 0;
    const r = await torchOutput(doc, 15, 'training');
    expect(maxAbsDiff(r.torch, r.tfjs)).toBeLessThanOrEqual(1e-4);
  });

  test('a run trained by runTraining (batch-norm LeNet, synthetic-shapes, CPU): PyTorch matches the saved TF.js model', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'll-export-trained-')), 'run');
    const config = { dataset: 'synthetic-shapes', epochs: 1, batchSize: 50, limitTrain: 100, limitTest: 10, healthEvery: 0, backend: 'cpu' as const, seed: 3 };
    const done = await runTraining({ document: template('batchnorm-lenet'), config, dataDir: mkdtempSync(join(tmpdir(), 'll-data-')), runDir: dir }, () => {}, { shouldStop: () => false });
    expect(done?.epochs).toBe(1);
    const shape = [2, 28, 28, 1];
    const input = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.abs(Math.sin(i * 12.9898)) % 1);
    const tfjs = await savedModelOutput(dir, input, shape);
    const torchOut = exportAndRun(dir, input, shape, [2, 10]);
    expect(maxAbsDiff(torchOut, tfjs)).toBeLessThanOrEqual(1e-4);
  });

  test('model.py runs as a script (loads its weights, prints the output shape)', async () => {
    const run = await fixtureRun(template('lenet'), 6, 1);
    const out = join(run.dir, 'pt');
    exportRun(run.dir, 'pytorch', out);
    const r = python(`import runpy; runpy.run_path("model.py", run_name="__main__")`, out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('(2, 10)');
  });

  test('the state_dict holds PyTorch layouts (Linear [out, in], Conv2d [out, in, kh, kw]) and BatchNorm buffers', async () => {
    const run = await fixtureRun(template('batchnorm-lenet'), 7, 1);
    const out = join(run.dir, 'pt');
    exportRun(run.dir, 'pytorch', out);
    const r = python(`import numpy as np, json; d = np.load("weights.npz"); print(json.dumps({k: list(d[k].shape) for k in d.files}))`, out);
    expect(r.status).toBe(0);
    const shapes = JSON.parse(r.stdout) as Record<string, number[]>;
    expect(shapes['conv1.weight']).toEqual([6, 1, 5, 5]);
    expect(shapes['fc1.weight']).toEqual([120, 256]); // conv2 is 'valid' here: 4 x 4 x 16 inputs
    expect(shapes['bn1.running_var']).toEqual([6]);
    expect(shapes['bn1.num_batches_tracked']).toEqual([]);
  });
});

describe('PyTorch export refuses what it cannot translate (every layer type has a rule; these are the remaining gaps)', () => {
  test('an untranslatable node (Dense with activation leakyRelu) fails naming the node and type, and writes nothing', () => {
    const doc = template('mlp');
    const dense = doc.nodes.find((n) => n.type === 'Dense')!;
    dense.params = { ...dense.params, activation: 'leakyRelu' };
    const lowered = compile(doc).lowered!;
    expect(() => generatePytorch({ graphName: 'MLP', lowered, tensors: [] })).toThrow(new RegExp(`node "${dense.id}" \\(Dense\\): activation "leakyRelu" has no PyTorch export`));

    const dir = mkdtempSync(join(tmpdir(), 'll-export-leaky-'));
    writeFileSync(join(dir, 'graph.layerlab.json'), JSON.stringify(doc));
    mkdirSync(join(dir, 'final'));
    writeFileSync(join(dir, 'final', 'model.json'), JSON.stringify({ weightsManifest: [{ paths: [], weights: [] }] }));
    const out = join(dir, 'export-pytorch');
    expect(() => exportRun(dir, 'pytorch', out)).toThrow(ExportError);
    expect(existsSync(out)).toBe(false);
  });

  test('a 4-D example (Reshape to [2, 2, 2, 2]) is refused: no layout rule beyond images', () => {
    const doc = template('mlp');
    const hidden = doc.nodes.find((n) => n.id === 'hidden')!;
    hidden.params = { ...hidden.params, units: 16 };
    doc.nodes.push({ id: 'cube', type: 'Reshape', params: { targetShape: [2, 2, 2, 2] } });
    (doc as unknown as { edges: { source: string; target: string }[] }).edges.push({ source: 'hidden', target: 'cube' });
    const lowered = compile(doc).lowered!;
    expect(() => generatePytorch({ graphName: 'MLP', lowered, tensors: [] })).toThrow(/node "cube" \(Reshape\) outputs 4-D examples/);
  });
});
