/**
 * im2col / col2im for NHWC convolutions, over a range of batch images so that callers can
 * work in chunks that fit the cache and bound memory.
 *
 * Layout of a column matrix: row m = ((n - n0) * outH + oh) * outW + ow, column
 * k = (kh * kW + kw) * inC + c, i.e. [M, K] row-major. Rows are written in order and
 * each (kh, kw) tap copies inC contiguous input values, which keeps both sides streaming.
 */
import type { ConvGeometry } from './convGeometry';

/**
 * Fills `colT` with the transposed column matrix ([K x rows of images n0..n1)], row-major),
 * written directly rather than transposed afterwards: each output row is contiguous and
 * the input is read with a fixed stride, so neither side thrashes the cache.
 */
export function im2colTransposed(g: ConvGeometry, x: Float32Array, n0: number, n1: number, colT: Float32Array): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const rows = (n1 - n0) * outH * outW;
  const step = strideW * inC;
  for (let kw = 0; kw < kW; kw++) {
    const shift = kw * dilationW - padLeft;
    // Output columns whose tap kw lands inside the image: iw = ow * strideW + shift in [0, inW).
    let owLo = 0;
    while (owLo < outW && owLo * strideW + shift < 0) owLo++;
    let owHi = owLo;
    while (owHi < outW && owHi * strideW + shift < inW) owHi++;
    for (let kh = 0; kh < kH; kh++) {
      for (let c = 0; c < inC; c++) {
        let o = ((kh * kW + kw) * inC + c) * rows;
        for (let n = n0; n < n1; n++) {
          const xn = n * inH * inW * inC;
          for (let oh = 0; oh < outH; oh++) {
            const ih = oh * strideH - padTop + kh * dilationH;
            if (ih < 0 || ih >= inH) {
              colT.fill(0, o, o + outW);
              o += outW;
              continue;
            }
            for (let ow = 0; ow < owLo; ow++) colT[o + ow] = 0;
            let xi = xn + (ih * inW + owLo * strideW + shift) * inC + c;
            if (step === 1) {
              // One channel, unit stride: the run is contiguous in x, so copy it as a block.
              colT.set(x.subarray(xi, xi + owHi - owLo), o + owLo);
            } else {
              for (let ow = owLo; ow < owHi; ow++, xi += step) colT[o + ow] = x[xi]!;
            }
            for (let ow = owHi; ow < outW; ow++) colT[o + ow] = 0;
            o += outW;
          }
        }
      }
    }
  }
}

/** Adds the column matrix `col` (images n0..n1, layout as in the module note) back into the NHWC `dx`. */
export function col2imAdd(g: ConvGeometry, col: Float32Array, n0: number, n1: number, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, kH, kW, strideH, strideW, dilationH, dilationW, padTop, padLeft } = g;
  const rowTap = kW * inC;
  let o = 0;
  for (let n = n0; n < n1; n++) {
    const xn = n * inH * inW * inC;
    for (let oh = 0; oh < outH; oh++) {
      const ih0 = oh * strideH - padTop;
      for (let ow = 0; ow < outW; ow++) {
        const iw0 = ow * strideW - padLeft;
        for (let kh = 0; kh < kH; kh++) {
          const ih = ih0 + kh * dilationH;
          if (ih < 0 || ih >= inH) {
            o += rowTap;
            continue;
          }
          const xr = xn + ih * inW * inC;
          for (let kw = 0; kw < kW; kw++) {
            const iw = iw0 + kw * dilationW;
            if (iw >= 0 && iw < inW) {
              const xi = xr + iw * inC;
              for (let c = 0; c < inC; c++) dx[xi + c] = dx[xi + c]! + col[o + c]!;
            }
            o += inC;
          }
        }
      }
    }
  }
}
