import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { compile } from '../../../graph-compiler/index.js';

test('LeNet FLOPs (a multiply-add is 2) and activation memory per example, derived by hand', () => {
  const r = compile(readFileSync('templates/lenet.layerlab.json', 'utf8')).report;
  const flops = (id: string) => r.nodes.find((n) => n.id === id)!.flops;
  expect(flops('conv1')).toBe(2 * 5 * 5 * 1 * 28 * 28 * 6);
  expect(flops('pool1')).toBe(2 * 2 * 14 * 14 * 6);
  expect(flops('conv2')).toBe(2 * 5 * 5 * 6 * 10 * 10 * 16);
  expect(flops('fc1')).toBe(2 * 400 * 120);
  expect(r.flops).toBe(235200 + 4704 + 480000 + 1600 + 96000 + 20160 + 1680);
  // float32 outputs: input 784, conv1 4704, pool1 1176, conv2 1600, pool2 400, flatten 400, 120, 84, 10.
  expect(r.activationBytes).toBe(4 * (784 + 4704 + 1176 + 1600 + 400 + 400 + 120 + 84 + 10));
});
