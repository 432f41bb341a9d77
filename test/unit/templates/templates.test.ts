/** The bundled templates are documents tested as a set: each compiles cleanly, and the famous ones have their famous sizes. */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { graphDocument } from '../../../contracts/index.js';
import { compile, serializeDocument } from '../../../graph-compiler/index.js';

const dir = 'templates';
const names = readdirSync(dir).filter((f) => f.endsWith('.layerlab.json'));
const load = (f: string) => readFileSync(`${dir}/${f}`, 'utf8');

describe('templates', () => {
  test('the set includes the d2l line-up', () => {
    for (const t of ['softmax-regression', 'lenet', 'alexnet', 'vgg-11', 'nin', 'googlenet', 'batchnorm-lenet', 'resnet18', 'densenet', 'rnn', 'gru', 'lstm', 'transformer-encoder', 'vit-tiny'])
      expect(names).toContain(`${t}.layerlab.json`);
  });

  test.each(names)('%s compiles with no errors and lowers', (f) => {
    const r = compile(load(f));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.lowered).not.toBeNull();
    expect(r.report.outputs.every((o) => o.shape !== null)).toBe(true);
  });

  test.each(names)('%s is stored in canonical form, with a d2l description, a training section and positions', (f) => {
    const text = load(f);
    const doc = graphDocument.parse(JSON.parse(text));
    expect(serializeDocument(doc)).toBe(text);
    expect(doc.description).toMatch(/d2l \d+\.\d+/);
    expect(doc.training).toBeDefined();
    expect(doc.nodes.every((n) => n.position !== undefined)).toBe(true);
  });

  test('LeNet has 61,706 parameters and a [10] output', () => {
    const r = compile(load('lenet.layerlab.json')).report;
    expect(r.totalParams).toBe(61706);
    expect(r.outputs).toEqual([{ id: 'logits', shape: [10] }]);
  });

  test('ResNet-18 reports d2l sizes: 96x96x1 in, stage shapes halving, 11,178,378 trainable', () => {
    const r = compile(load('resnet18.layerlab.json')).report;
    const shape = (id: string) => r.nodes.find((n) => n.id === id)?.outputShape;
    expect(shape('b1_pool')).toEqual([24, 24, 64]);
    expect(shape('b3_res1')).toEqual([12, 12, 128]);
    expect(shape('b5_res2')).toEqual([3, 3, 512]);
    expect(shape('b3_res1/proj')).toEqual([12, 12, 128]);
    // PyTorch's sum of parameters() for d2l's ResNet-18 on 1 channel; params.test.ts recomputes it with torch when installed.
    expect(r.trainableParams).toBe(11178378);
    // Moving mean and variance of every BatchNormalization: the stem (64) and two per residual block.
    expect(r.totalParams - r.trainableParams).toBe(2 * (64 + 4 * (64 + 128 + 256 + 512)));
  });

  test('ViT-tiny: 32x32x3 in patches of 4 gives 64 tokens + class token of width 64, 10 classes', () => {
    const r = compile(load('vit-tiny.layerlab.json')).report;
    const shape = (id: string) => r.nodes.find((n) => n.id === id)?.outputShape;
    expect(shape('patches')).toEqual([64, 64]);
    expect(shape('cls')).toEqual([65, 64]);
    expect(shape('block2')).toEqual([65, 64]);
    expect(r.outputs).toEqual([{ id: 'logits', shape: [10] }]);
  });
});
