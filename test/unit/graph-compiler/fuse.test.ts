import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../../graph-compiler/index.js';
import { chain } from './helpers.js';
import { template } from '../../helpers/paths.js';

const fused = (doc: unknown) => compile(doc).lowered!.nodes.filter((n) => n.fusedActivation).map((n) => `${n.id}:${n.fusedActivation}`);

describe('the fuse pass', () => {
  it('marks a batch norm whose only reader is a ReLU', () => {
    const doc = chain([8, 8, 4], [{ type: 'Conv2D', params: { filters: 4, kernelSize: 3 } }, { type: 'BatchNormalization', id: 'bn' }, { type: 'Activation', params: { activation: 'relu' } }, { type: 'Flatten' }]);
    expect(fused(doc)).toEqual(['bn:relu']);
  });

  it.each([
    ['a sigmoid follows', [{ type: 'BatchNormalization' }, { type: 'Activation', params: { activation: 'sigmoid' } }]],
    ['a leaky ReLU follows (its own layer class)', [{ type: 'BatchNormalization' }, { type: 'Activation', params: { activation: 'leakyRelu' } }]],
    ['a ReLU follows something else', [{ type: 'Dense', params: { units: 4 } }, { type: 'Activation', params: { activation: 'relu' } }]],
  ])('leaves the graph alone when %s', (_, layers) => {
    expect(fused(chain([8, 8, 4], layers as never))).toEqual([]);
  });

  it('leaves a batch norm alone when a second layer reads its output too (it needs the values before the ReLU)', () => {
    const doc = chain([6, 6, 4], [{ type: 'BatchNormalization', id: 'bn' }, { type: 'Activation', id: 'relu', params: { activation: 'relu' } }]);
    doc.nodes.push({ id: 'add', type: 'Add' } as never);
    doc.edges.push({ source: 'relu', target: 'add', targetPort: 0 } as never, { source: 'bn', target: 'add', targetPort: 1 } as never);
    expect(compile(doc).lowered).not.toBeNull();
    expect(fused(doc)).toEqual([]);
  });

  it('leaves a batch norm alone when it is a model output as well', () => {
    const doc = { ...chain([6, 6, 4], [{ type: 'BatchNormalization', id: 'bn' }, { type: 'Activation', id: 'relu', params: { activation: 'relu' } }]), outputs: ['bn', 'relu'] };
    expect(compile(doc).lowered?.outputs).toEqual(['bn', 'relu']);
    expect(fused(doc)).toEqual([]);
  });

  it('fuses every BatchNorm → ReLU and Add → ReLU of the ResNet-18 template (the stem, each block’s first batch norm, each residual join)', () => {
    const ids = fused(JSON.parse(readFileSync(template('resnet18'), 'utf8')));
    expect(ids.filter((id) => id === 'b1_bn:relu' || /\/bn1:relu$/.test(id))).toHaveLength(9);
    expect(ids.filter((id) => /\/add:relu$/.test(id))).toHaveLength(8);
    expect(ids).toHaveLength(17);
  });
});
