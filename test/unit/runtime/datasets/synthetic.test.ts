import { describe, expect, it } from 'vitest';
import { syntheticShapes } from '../../../../runtime/datasets/synthetic.js';

describe('synthetic-shapes', () => {
  it('is deterministic and balanced', () => {
    const a = syntheticShapes(200, 50);
    const b = syntheticShapes(200, 50);
    expect(Buffer.from(a.train.images).equals(Buffer.from(b.train.images))).toBe(true);
    const counts = new Array(10).fill(0);
    for (const l of a.train.labels) counts[l]++;
    expect(counts).toEqual(new Array(10).fill(20));
  });
  it('draws different pictures for different classes', () => {
    const d = syntheticShapes(20, 10);
    const ink = (i: number) => Array.from(d.train.images.subarray(i * 784, (i + 1) * 784)).filter((v) => v > 100).length;
    // a filled square (class 5) has far more ink than a dot (class 9)
    expect(ink(5)).toBeGreaterThan(ink(9) * 2);
    expect(Buffer.from(d.train.images.subarray(0, 784)).equals(Buffer.from(d.test.images.subarray(0, 784)))).toBe(false);
  });
});
