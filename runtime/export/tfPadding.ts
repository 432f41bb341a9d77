/** TensorFlow's `padding: 'same'` arithmetic, which the PyTorch export must reproduce exactly. */

/**
 * Zeros TF adds before and after one spatial axis for a `same` window: the output has
 * ceil(size / stride) positions and any odd total goes AFTER the data (TF pads asymmetrically,
 * PyTorch's symmetric `padding=` cannot express that when stride > 1 or the kernel is even).
 */
export function samePads(size: number, kernel: number, stride: number, dilation = 1): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/** Pads for both axes, `[[top, bottom], [left, right]]`, all zero for `valid`. */
export function windowPads(
  padding: 'valid' | 'same',
  [h, w]: readonly number[],
  [kh, kw]: readonly [number, number],
  [sh, sw]: readonly [number, number],
  [dh, dw]: readonly [number, number] = [1, 1],
): [[number, number], [number, number]] {
  if (padding === 'valid') return [[0, 0], [0, 0]];
  return [samePads(h!, kh, sh, dh), samePads(w!, kw, sw, dw)];
}
