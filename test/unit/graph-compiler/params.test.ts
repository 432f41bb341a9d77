/**
 * Parameter counts follow PyTorch's meaning of a parameter (see docs in recurrent.ts and
 * batchNormalization.ts). Each count is checked twice: against a number derived by hand
 * here, and against PyTorch itself when python3-torch is installed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile } from '../../../graph-compiler/index.js';
import { chain } from './helpers.js';

const torchScript = String.raw`
import json, torch
from torch import nn
def count(m):
    p = sum(x.numel() for x in m.parameters())
    b = sum(v.numel() for k, v in m.named_buffers() if not k.endswith('num_batches_tracked'))
    return {'trainable': p, 'total': p + b}
class Residual(nn.Module):  # d2l 8.6.2
    def __init__(self, cin, c, use_1x1conv=False, strides=1):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, c, 3, padding=1, stride=strides)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1)
        self.conv3 = nn.Conv2d(cin, c, 1, stride=strides) if use_1x1conv else None
        self.bn1, self.bn2 = nn.BatchNorm2d(c), nn.BatchNorm2d(c)
def stage(cin, c, n, first):
    return [Residual(cin if i == 0 else c, c, use_1x1conv=(i == 0 and not first), strides=2 if (i == 0 and not first) else 1) for i in range(n)]
resnet18 = nn.Sequential(nn.Conv2d(1, 64, 7, 2, 3), nn.BatchNorm2d(64), *stage(64, 64, 2, True), *stage(64, 128, 2, False),
    *stage(128, 256, 2, False), *stage(256, 512, 2, False), nn.Linear(512, 10))
lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5), nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10))
print(json.dumps({
  'lenet': count(lenet),
  'residualProjection': count(Residual(64, 128, use_1x1conv=True, strides=2)),
  'resnet18': count(resnet18),
  'rnn': count(nn.RNN(28, 64)), 'gru': count(nn.GRU(28, 64)), 'lstm': count(nn.LSTM(28, 64)),
  'bilstm': count(nn.LSTM(3, 4, bidirectional=True)),
  'mha': count(nn.MultiheadAttention(64, 4)),
  'layernorm': count(nn.LayerNorm(64)),
  'embedding': count(nn.Embedding(1000, 32)),
  'convT': count(nn.ConvTranspose2d(8, 4, 3)),
  'conv1d': count(nn.Conv1d(3, 8, 5)),
}))
`;

function hasTorch(): boolean {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const torchAvailable = hasTorch();
if (!torchAvailable)
  console.warn('params.test: python3-torch is NOT installed, so the PyTorch cross-checks are SKIPPED (apt-get install -y python3-torch)');
type Count = { trainable: number; total: number };
const torchCounts = (): Record<string, Count> =>
  JSON.parse(execFileSync('/usr/bin/python3', ['-c', torchScript], { encoding: 'utf8', timeout: 120_000 })) as Record<string, Count>;

const bn = { type: 'BatchNormalization', params: { momentum: 0.9, epsilon: 1e-5 } };
const residualBlockDoc = () => {
  const d = chain([16, 16, 64], [
    { id: 'conv1', type: 'Conv2D', params: { filters: 128, kernelSize: 3, strides: 2, padding: 'same' } },
    { ...bn, id: 'bn1' },
    { id: 'relu1', type: 'Activation', params: { activation: 'relu' } },
    { id: 'conv2', type: 'Conv2D', params: { filters: 128, kernelSize: 3, padding: 'same' } },
    { ...bn, id: 'bn2' },
  ]);
  return {
    ...d,
    nodes: [...d.nodes, { id: 'proj', type: 'Conv2D', params: { filters: 128, kernelSize: 1, strides: 2 } }, { id: 'add', type: 'Add' }],
    edges: [...d.edges, { source: 'input', target: 'proj' }, { source: 'bn2', target: 'add' }, { source: 'proj', target: 'add' }],
  };
};
const totals = (doc: unknown) => {
  const r = compile(doc).report;
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { trainable: r.trainableParams, total: r.totalParams };
};
const template = (name: string) => JSON.parse(readFileSync(`templates/${name}.layerlab.json`, 'utf8')) as unknown;
const seq = (type: string, units: number, extra: Record<string, unknown> = {}) => chain([28, 28], [{ type, params: { units, ...extra } }]);

// Hand-derived: weights + biases, per layer.
const hand: Record<string, [doc: () => unknown, count: Count]> = {
  // 6·25+6, 16·6·25+16, 400·120+120, 120·84+84, 84·10+10
  lenet: [() => template('lenet'), { trainable: 156 + 2416 + 48120 + 10164 + 850, total: 61706 }],
  // conv 3·3·64·128+128, conv 3·3·128·128+128, proj 64·128+128, two BNs of 128: 2·128 trainable + 2·128 moving stats each
  residualProjection: [residualBlockDoc, { trainable: 73856 + 147584 + 8320 + 512, total: 73856 + 147584 + 8320 + 1024 }],
  // g·(h·in + h·h + 2h) with in = 28, h = 64
  rnn: [() => seq('SimpleRNN', 64), { trainable: 64 * 28 + 64 * 64 + 128, total: 6016 }],
  gru: [() => seq('GRU', 64), { trainable: 3 * 6016, total: 3 * 6016 }],
  lstm: [() => seq('LSTM', 64), { trainable: 4 * 6016, total: 4 * 6016 }],
  bilstm: [() => chain([6, 3], [{ type: 'Bidirectional', params: { layer: 'LSTM', units: 4 } }]), { trainable: 2 * 4 * (4 * 3 + 16 + 8), total: 288 }],
  // 4·64·64 projections + 4·64 biases
  mha: [() => ({ ...chain([10, 64], [{ id: 'mha', type: 'MultiHeadAttention', params: { numHeads: 4, keyDim: 16 } }]), edges: [{ source: 'input', target: 'mha' }, { source: 'input', target: 'mha' }] }), { trainable: 4 * 64 * 64 + 4 * 64, total: 16640 }],
  layernorm: [() => chain([10, 64], [{ type: 'LayerNormalization' }]), { trainable: 128, total: 128 }],
  embedding: [() => chain([7], [{ type: 'Embedding', params: { inputDim: 1000, outputDim: 32 } }]), { trainable: 32000, total: 32000 }],
  convT: [() => chain([5, 5, 8], [{ type: 'Conv2DTranspose', params: { filters: 4, kernelSize: 3 } }]), { trainable: 3 * 3 * 8 * 4 + 4, total: 292 }],
  conv1d: [() => chain([20, 3], [{ type: 'Conv1D', params: { filters: 8, kernelSize: 5 } }]), { trainable: 5 * 3 * 8 + 8, total: 128 }],
};

describe('parameter counts, derived by hand', () => {
  test.each(Object.entries(hand))('%s', (_name, [doc, expected]) => {
    expect(totals(doc())).toEqual(expected);
  });
});

describe.skipIf(!torchAvailable)('parameter counts equal PyTorch (needs python3-torch)', () => {
  const names = [...Object.keys(hand), 'resnet18'];
  let counts: Record<string, Count> = {};
  test('PyTorch runs', () => {
    counts = torchCounts();
    expect(Object.keys(counts).sort()).toEqual(names.sort());
  });
  test.each(names)('%s', (name) => {
    const doc = name === 'resnet18' ? template('resnet18') : hand[name]![0]();
    expect(totals(doc)).toEqual(counts[name]);
  });
});
