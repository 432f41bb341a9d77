/**
 * Each teaching lint: it fires with its code on the right nodes, cites d2l, says how to fix
 * it, and its quick fix, applied, makes it go away without introducing errors.
 */
import { describe, expect, test } from 'vitest';
import type { Diagnostic, GraphDocument } from '../../../../contracts/index.js';
import { compile } from '../../../../graph-compiler/index.js';
import { chain } from '../helpers.js';
import { applyPatch } from './applyPatch.js';

const find = (doc: unknown, code: string) => compile(doc).diagnostics.filter((d) => d.code === code);
const errors = (doc: unknown) => compile(doc).diagnostics.filter((d) => d.severity === 'error');

/** Applies the diagnostic's fix and checks the code is gone and nothing broke. */
function expectFixRepairs(doc: GraphDocument, d: Diagnostic) {
  expect(d.fix).toBeDefined();
  const fixed = applyPatch(doc, d.fix!.patch);
  expect(find(fixed, d.code)).toEqual([]);
  expect(errors(fixed)).toEqual([]);
  return fixed;
}

describe('teaching lints', () => {
  test('W_LINEAR_COLLAPSE: Dense → Dropout → Dense with no activation; fix inserts a ReLU', () => {
    const doc = chain([8], [
      { id: 'a', type: 'Dense', params: { units: 16 } },
      { id: 'drop', type: 'Dropout', params: { rate: 0.2 } },
      { id: 'b', type: 'Dense', params: { units: 4 } },
    ]);
    const [d, ...rest] = find(doc, 'W_LINEAR_COLLAPSE');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'warning', nodeIds: ['a', 'b'] });
    expect(d!.message).toContain('d2l 5.1');
    expect(d!.fix!.patch).toEqual([
      { op: 'insertNode', node: { id: 'a_relu', type: 'Activation', params: { activation: 'relu' } }, between: { source: 'a', target: 'drop', targetPort: 0 } },
    ]);
    const fixed = expectFixRepairs(doc, d!);
    expect(compile(fixed).report.outputs[0]!.shape).toEqual([4]);
    expect(find(chain([8], [{ type: 'Dense', params: { units: 16, activation: 'relu' } }, { type: 'Dense', params: { units: 4 } }]), 'W_LINEAR_COLLAPSE')).toEqual([]);
  });

  test('W_DOUBLE_SOFTMAX: a softmax output with the softmax cross-entropy loss; fix sets linear or removes the node', () => {
    const dense = chain([8], [{ id: 'logits', type: 'Dense', params: { units: 3, activation: 'softmax' } }]);
    const [d] = find(dense, 'W_DOUBLE_SOFTMAX');
    expect(d).toMatchObject({ nodeIds: ['logits'] });
    expect(d!.message).toContain('d2l 4.5');
    expect(d!.fix!.patch).toEqual([{ op: 'setParam', nodeId: 'logits', key: 'activation', value: 'linear' }]);
    expectFixRepairs(dense, d!);

    const node = { ...chain([8], [{ id: 'fc', type: 'Dense', params: { units: 3 } }, { id: 'probs', type: 'Activation', params: { activation: 'softmax' } }]), outputs: ['probs'] };
    const [d2] = find(node, 'W_DOUBLE_SOFTMAX');
    expect(d2!.fix!.patch).toEqual([{ op: 'removeNode', nodeId: 'probs', reconnect: true }]);
    expectFixRepairs(node, d2!);

    expect(find({ ...dense, training: { loss: 'mse' } }, 'W_DOUBLE_SOFTMAX')).toEqual([]);
  });

  test('W_VANISHING_GRADIENT: five sigmoid layers in a plain stack; fix switches them to ReLU; BatchNorm silences it', () => {
    const layers = [1, 2, 3, 4, 5].map((i) => ({ id: `fc${i}`, type: 'Dense', params: { units: 8, activation: 'sigmoid' } }));
    const doc = chain([8], [...layers, { id: 'out', type: 'Dense', params: { units: 2 } }]);
    const [d, ...rest] = find(doc, 'W_VANISHING_GRADIENT');
    expect(rest).toEqual([]);
    expect(d!.nodeIds).toEqual(['fc1', 'fc2', 'fc3', 'fc4', 'fc5']);
    expect(d!.message).toMatch(/d2l 5\.4.*BatchNormalization/);
    expectFixRepairs(doc, d!);
    expect(find(chain([8], [...layers.slice(0, 4), { type: 'Dense', params: { units: 2 } }]), 'W_VANISHING_GRADIENT')).toEqual([]);
    expect(find(chain([8], [...layers, { type: 'BatchNormalization' }]), 'W_VANISHING_GRADIENT')).toEqual([]);
  });

  test('W_DROPOUT_AT_END: Dropout as the output; fix removes it', () => {
    const doc = { ...chain([8], [{ id: 'fc', type: 'Dense', params: { units: 3 } }, { id: 'drop', type: 'Dropout' }]), outputs: ['drop'] };
    const [d] = find(doc, 'W_DROPOUT_AT_END');
    expect(d).toMatchObject({ nodeIds: ['drop'], fix: { patch: [{ op: 'removeNode', nodeId: 'drop', reconnect: true }] } });
    expect(d!.message).toContain('d2l 5.6');
    const fixed = expectFixRepairs(doc, d!);
    expect(compile(fixed).report.outputs).toEqual([{ id: 'fc', shape: [3] }]);
  });

  test('W_KERNEL_TOO_LARGE: a same-padded 7x7 kernel on a 3x3 input; fix shrinks the kernel', () => {
    const doc = chain([3, 3, 2], [{ id: 'conv', type: 'Conv2D', params: { filters: 4, kernelSize: 7, padding: 'same' } }]);
    const [d] = find(doc, 'W_KERNEL_TOO_LARGE');
    expect(d).toMatchObject({ nodeIds: ['conv'], fix: { patch: [{ op: 'setParam', nodeId: 'conv', key: 'kernelSize', value: 3 }] } });
    expect(d!.message).toContain('d2l 7.3');
    expectFixRepairs(doc, d!);
    expect(find(chain([3, 3, 2], [{ type: 'Conv2D', params: { filters: 4, kernelSize: 5, padding: 'same' } }]), 'W_KERNEL_TOO_LARGE')).toEqual([]);
  });

  test('W_DENSE_ON_FEATURE_MAP: Dense straight after a convolution; fix inserts a Flatten', () => {
    const doc = chain([8, 8, 1], [{ id: 'conv', type: 'Conv2D', params: { filters: 4, kernelSize: 3 } }, { id: 'fc', type: 'Dense', params: { units: 10 } }]);
    const [d] = find(doc, 'W_DENSE_ON_FEATURE_MAP');
    expect(d).toMatchObject({ nodeIds: ['fc'] });
    expect(d!.message).toContain('[6,6,4]');
    expect(d!.fix!.patch[0]).toMatchObject({ op: 'insertNode', node: { type: 'Flatten' }, between: { source: 'conv', target: 'fc' } });
    const fixed = expectFixRepairs(doc, d!);
    expect(compile(fixed).report.outputs[0]!.shape).toEqual([10]);
  });
});

describe('fixes on shape errors', () => {
  test('a valid-padded kernel larger than its input: E_SHAPE with the fix padding "same"', () => {
    const doc = chain([4, 4, 1], [{ id: 'conv', type: 'Conv2D', params: { filters: 2, kernelSize: 5 } }]);
    const [d, ...rest] = errors(doc);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'E_SHAPE', nodeIds: ['conv'], port: 0, fix: { patch: [{ op: 'setParam', nodeId: 'conv', key: 'padding', value: 'same' }] } });
    expect(errors(applyPatch(doc, d!.fix!.patch))).toEqual([]);
  });

  test('Add with a shortcut of other channels and size: E_SHAPE_MISMATCH with a 1x1 Conv2D projection fix', () => {
    const base = chain([28, 28, 64], [
      { id: 'c1', type: 'Conv2D', params: { filters: 128, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' } },
      { id: 'c2', type: 'Conv2D', params: { filters: 128, kernelSize: 3, padding: 'same' } },
    ]);
    const doc = { ...base, nodes: [...base.nodes, { id: 'add1', type: 'Add' }], edges: [...base.edges, { source: 'c2', target: 'add1' }, { source: 'input', target: 'add1' }] };
    const [d, ...rest] = errors(doc);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: 'E_SHAPE_MISMATCH', nodeIds: ['add1'], port: 1 });
    expect(d!.message).toMatch(/^add1: Add: input 1 has shape \[28,28,64\] but input 0 has \[14,14,128\]/);
    expect(d!.fix!.patch).toEqual([
      {
        op: 'insertNode',
        node: { id: 'input_proj', type: 'Conv2D', params: { filters: 128, kernelSize: 1, strides: 2 } },
        between: { source: 'input', target: 'add1', targetPort: 1 },
      },
    ]);
    const fixed = applyPatch(doc, d!.fix!.patch);
    expect(errors(fixed)).toEqual([]);
    expect(compile(fixed).report.outputs[0]!.shape).toEqual([14, 14, 128]);
  });
});
