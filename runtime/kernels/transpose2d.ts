/**
 * Blocked 2-D transpose over typed arrays, about 1.5 ns per element, which is what makes
 * transposing first and multiplying plainly worth it (the stock transposed BatchMatMul paths
 * are far slower). Measured later: the stock Transpose kernel does 8320x64 in 0.4-0.75 ns
 * per element, so BatchMatMul sends large tensors there and keeps this for small ones.
 */

const BLOCK = 16;

/** dst[c * rows + r] = src[srcOffset + r * cols + c] for a rows x cols matrix; dst gets dstOffset added too. */
export function transpose2d(
  src: Float32Array,
  srcOffset: number,
  rows: number,
  cols: number,
  dst: Float32Array,
  dstOffset: number,
): void {
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = r0 + BLOCK < rows ? r0 + BLOCK : rows;
    for (let c0 = 0; c0 < cols; c0 += BLOCK) {
      const c1 = c0 + BLOCK < cols ? c0 + BLOCK : cols;
      for (let c = c0; c < c1; c++) {
        const d = dstOffset + c * rows;
        let s = srcOffset + r0 * cols + c;
        for (let r = r0; r < r1; r++, s += cols) dst[d + r] = src[s]!;
      }
    }
  }
}
