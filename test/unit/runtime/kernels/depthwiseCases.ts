/** Random depthwise-convolution cases shared by the two depthwise backprop tests. */
import fc from 'fast-check';

export const depthwiseCaseArb = fc.record({
  batch: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 9 }),
  w: fc.integer({ min: 1, max: 9 }),
  c: fc.integer({ min: 1, max: 4 }),
  mult: fc.integer({ min: 1, max: 3 }),
  kh: fc.integer({ min: 1, max: 4 }),
  kw: fc.integer({ min: 1, max: 4 }),
  // tfjs allows dilations only with unit strides in depthwise convolutions.
  sd: fc.oneof(
    fc.record({ strides: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), dilations: fc.constant<[number, number]>([1, 1]) }),
    fc.record({ strides: fc.constant<[number, number]>([1, 1]), dilations: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })) }),
  ),
  pad: fc.oneof(
    fc.constantFrom('valid' as const, 'same' as const),
    fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]) => [[0, 0], [t, b], [l, r], [0, 0]]),
  ),
  seed: fc.nat(),
});
