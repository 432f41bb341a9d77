/**
 * The Keras export, structure only: TensorFlow is not installable here, so the generated
 * model.py is parsed with Python's ast and then run against a stand-in tf.keras
 * (./kerasStub) that records the layers, their wiring and the arrays given to set_weights.
 * That proves the module's calls line up with the TF.js model; it does NOT prove real Keras
 * accepts every argument (see docs/cli.md).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile } from '../../../../graph-compiler/index.js';
import { exportRun } from '../../../../runtime/export/index.js';
import { generateKeras } from '../../../../runtime/export/keras.js';
import { layerName } from '../../../../runtime/materialize.js';
import { fixtureRun, python, pythonWith, template, type Doc } from './fixture.js';
import { convolutions, kitchenSink, recurrentStack, tokenIds, tokens } from './graphs.js';

const numpy = pythonWith('numpy, ast');
const title = (name: string) => (numpy.ok ? name : `${name} (SKIPPED: ${'why' in numpy ? numpy.why : ''})`);
const stub = resolve('test/unit/runtime/export/kerasStub');

interface Recorded {
  cls: string;
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  inputs: string[];
  weights: [number[], string, number][] | null;
}

async function recorded(doc: Doc, seed: number, makeInput?: Parameters<typeof fixtureRun>[4]) {
  const run = await fixtureRun(doc, seed, 1, 'inference', makeInput);
  const out = join(run.dir, 'keras');
  exportRun(run.dir, 'keras', out);
  const source = readFileSync(join(out, 'model.py'), 'utf8');
  const parsed = python(`import ast, sys; ast.parse(open("model.py").read()); print("ok")`, out);
  expect(parsed.status, parsed.stderr).toBe(0); // warnings on stderr are fine; a traceback is not
  expect(parsed.stdout.trim()).toBe('ok');
  const r = python(
    [
      'import json, sys',
      `sys.path.insert(0, ${JSON.stringify(stub)})`,
      `sys.path.insert(0, ${JSON.stringify(out)})`,
      'import model',
      'm = model.load()',
      'print(json.dumps([{"cls": l.cls, "name": l.name, "args": l.args, "kwargs": l.kwargs, "inputs": [t.layer.name for t in l.inputs], "weights": l.weights} for l in m.layers]))',
    ].join('\n'),
  );
  expect(r.status, r.stderr).toBe(0);
  const manifest = JSON.parse(readFileSync(join(run.dir, 'final', 'model.json'), 'utf8')).weightsManifest[0].weights as { name: string; shape: number[] }[];
  const bin = readFileSync(join(run.dir, 'final', 'weights.bin'));
  return { layers: JSON.parse(r.stdout) as Recorded[], manifest, bin, source };
}

describe.skipIf(!numpy.ok)(title('Keras export, structure only (TensorFlow is not installable here; checked with ast and a stand-in tf.keras)'), () => {
  test.each([
    ['LeNet', () => template('lenet'), 21],
    ['ResNet-18 blocks', () => template('resnet18'), 22],
    ['core image layers (kitchen sink)', () => kitchenSink, 23],
    ['depthwise, separable, transposed convolutions, Permute, Conv1D', () => convolutions, 24],
    ['stacked LSTM, GRU, SimpleRNN', () => recurrentStack, 25],
    ['Embedding and Bidirectional recurrent layers', () => tokens, 26, tokenIds],
  ])('%s: one Keras layer per node, same wiring and config, set_weights gets the TF.js weights', async (_name, doc, seed, makeInput?) => {
    const { layers, manifest, bin } = await recorded(doc(), seed, makeInput);
    const compiled = compile(doc());
    const lowered = compiled.lowered!;
    // Keras orders model.layers its own way; the set of layers must match.
    const key = (a: string[]) => a.join(' ');
    const kerasClass = (c: string) => (c === 'LayerlabBidirectional' ? 'Bidirectional' : c);
    expect(layers.map((l) => key([l.cls, l.name])).sort()).toEqual(lowered.nodes.map((n) => key([kerasClass(n.className), layerName(n.id)])).sort());
    for (const node of lowered.nodes) {
      const l = layers.find((x) => x.name === layerName(node.id))!;
      expect(l.inputs).toEqual(node.inputs.map(layerName));
      if (node.className === 'InputLayer') expect(l.kwargs.shape).toEqual(node.outputShape);
      else if (node.className === 'LeakyReLU') expect(l.args).toEqual([node.config.alpha]);
      else if (node.className === 'LayerlabBidirectional') {
        const inner = node.config.layer as { className: string; config: Record<string, unknown> };
        expect(l.kwargs.merge_mode).toBe(node.config.mergeMode);
        expect(l.args).toEqual([{ cls: inner.className, kwargs: expect.objectContaining({ units: inner.config.units, return_sequences: inner.config.returnSequences }) }]);
      } else
        for (const [k, v] of Object.entries(node.config)) expect(l.kwargs[k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)]).toEqual(v);
      if (node.className === 'GRU') expect(l.kwargs.reset_after).toBe(false);
    }
    // Every weight reaches its layer's set_weights, in TF.js's order, with its shape and values.
    let offset = 0;
    const expected = new Map<string, [number[], string, number][]>();
    for (const w of manifest) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(bin.buffer.slice(bin.byteOffset + offset, bin.byteOffset + offset + 4 * n));
      offset += 4 * n;
      const layer = w.name.slice(0, w.name.indexOf('/'));
      expected.set(layer, [...(expected.get(layer) ?? []), [w.shape, 'float32', values.reduce((a, b) => a + b, 0)]]);
    }
    expect(layers.filter((l) => l.weights).map((l) => l.name).sort()).toEqual([...expected.keys()].sort());
    for (const [layer, weights] of expected) {
      const got = layers.find((l) => l.name === layer)!.weights!;
      expect(got.map((w) => [w[0], w[1]])).toEqual(weights.map((w) => [w[0], w[1]]));
      for (const [i, w] of weights.entries()) expect(got[i]![2]).toBeCloseTo(w[2], 3);
    }
  });
});

describe('Keras export refuses what it cannot build', () => {
  test('a custom layer (ViT class token) fails naming the node and type', () => {
    const lowered = compile(template('vit-tiny')).lowered!;
    const custom = lowered.nodes.find((n) => !['InputLayer', 'Dense', 'Conv2D', 'Reshape'].includes(n.className))!;
    expect(() => generateKeras({ graphName: 'ViT', lowered, tensors: [] })).toThrow(new RegExp(`node "${custom.id}" is a ${custom.className} layer`));
  });
});
