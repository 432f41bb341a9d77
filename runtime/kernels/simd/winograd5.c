/*
 * The filter gradient of 5x5 convolutions with unit stride and no dilation by Winograd's
 * F(2x2, 5x5): a 2x2 block of outputs is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A of the 6x6 input patch d
 * under it, 36 multiplications per (input, output) channel pair where a direct convolution
 * takes 100. Same points as winograd.c's F(4x4, 3x3), so the same Bᵀ and input transform; here
 *
 *   G = [ 1/4     0     0     0    0]    Aᵀ = [1  1  1  1  1  0]
 *       [-1/6  -1/6  -1/6  -1/6 -1/6]         [0  1 -1  2 -2  1]
 *       [-1/6   1/6  -1/6   1/6 -1/6]
 *       [1/24  1/12   1/6   1/3  2/3]
 *       [1/24 -1/12   1/6  -1/3  2/3]
 *       [   0     0     0     0    1]
 *
 * Phases, chunks, threading and the gradient's form as in winograd.c. Only the filter
 * gradient: on LeNet's 5x5 layer (6 → 16 channels, 14x14 maps) the forward pass's 8-long
 * contractions and the input gradient's wide padding made both slower than the direct kernels
 * (2.1 → 2.4 and 2.8 → 4.0 ms a step), while the filter gradient sums over tiles (2.4 → 2.0).
 */
#include "winograd.h"

/* y0..y5 = A·(e0, e1) on vectors (A = (Aᵀ)ᵀ, 6 x 2). */
#define A62(e0, e1, y0, y1, y2, y3, y4, y5)                              \
  do {                                                                   \
    const v128_t twice = wasm_f32x4_add((e1), (e1));                     \
    y0 = (e0);                                                           \
    y1 = wasm_f32x4_add((e0), (e1));                                     \
    y2 = wasm_f32x4_sub((e0), (e1));                                     \
    y3 = wasm_f32x4_add((e0), twice);                                    \
    y4 = wasm_f32x4_sub((e0), twice);                                    \
    y5 = (e1);                                                           \
  } while (0)

/* E for one tile's 2x2 dy block (winograd_dy_transform). */
static void transform_dy2(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  (void)T;
  const v128_t zero = wasm_f32x4_splat(0);
  const int right = cols > 1, below = rows > 1;
  for (int o = 0; o < O8; o += 4) {
    v128_t d00 = zero, d01 = zero, d10 = zero, d11 = zero;
    if (o < O) {
      d00 = wasm_v128_load(d + o);
      if (right) d01 = wasm_v128_load(d + O + o);
      if (below) d10 = wasm_v128_load(d + OW * O + o);
      if (right && below) d11 = wasm_v128_load(d + (OW + 1) * O + o);
    }
    /* Columns: (A δ)[f][j] (6 x 2); rows: E[6f + g] = ((A δ) Aᵀ)[f][g]. */
    v128_t a0, a1, a2, a3, a4, a5, b0, b1, b2, b3, b4, b5;
    A62(d00, d10, a0, a1, a2, a3, a4, a5);
    A62(d01, d11, b0, b1, b2, b3, b4, b5);
#define E_ROW(f, p, q)                                                              \
  do {                                                                              \
    v128_t y0, y1, y2, y3, y4, y5;                                                  \
    A62(p, q, y0, y1, y2, y3, y4, y5);                                              \
    float *ef = e + 6 * (f) * es + o;                                               \
    STORE_Y6(ef, es); \
  } while (0)
    E_ROW(0, a0, b0);
    E_ROW(1, a1, b1);
    E_ROW(2, a2, b2);
    E_ROW(3, a3, b3);
    E_ROW(4, a4, b4);
    E_ROW(5, a5, b5);
#undef E_ROW
  }
}

/*
 * As winograd_filter_grad with 2x2 tiles and 5x5 filters (same scratch size,
 * winograd_grad_scratch_floats): P[f][c][o] = Σ_t V[f][t][c]·E[f][t][o] with E = A δ Aᵀ of
 * each tile's 2x2 block δ of dy (0 outside dy).
 */
EXPORT("winograd5_filter_grad")
void winograd5_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                           int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 2, 36, winograd_transform_inputs, transform_dy2, H, W, C, OH, OW, O, PT, PL, CR);
}

/* y0..y4 = Gᵀ·(p0..p5) on vectors. */
#define GT65(p0, p1, p2, p3, p4, p5, y0, y1, y2, y3, y4)                                                \
  do {                                                                                                  \
    const v128_t s12 = wasm_f32x4_add((p1), (p2)), d21 = wasm_f32x4_sub((p2), (p1));                    \
    const v128_t s34 = wasm_f32x4_add((p3), (p4)), d34 = wasm_f32x4_sub((p3), (p4));                    \
    const v128_t ns = wasm_f32x4_neg(wasm_f32x4_mul(sixth, s12)), dd = wasm_f32x4_mul(sixth, d21);      \
    y0 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(0.25f), (p0)), ns), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 24.0f), s34)); \
    y1 = wasm_f32x4_add(dd, wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 12.0f), d34));                       \
    y2 = wasm_f32x4_add(ns, wasm_f32x4_mul(sixth, s34));                                                \
    y3 = wasm_f32x4_add(dd, wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 3.0f), d34));                        \
    y4 = wasm_f32x4_add(wasm_f32x4_add(ns, wasm_f32x4_mul(wasm_f32x4_splat(2.0f / 3.0f), s34)), (p5));  \
  } while (0)

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] (5x5) of P = the sum of `parts` winograd5_filter_grad
 * sums, the first at p0 and each `stride` floats after the last, for input channels
 * c0 <= c < c1 (threads split them, each with its own scratch). O a multiple of 4; scratch:
 * 30 vectors.
 */
EXPORT("winograd5_filter_grad_finish")
void winograd5_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O, int c0, int c1) {
  const int O8 = ceil8(O);
  winograd_sum_rows(p0, parts, stride, 36, C, O8, c0, c1);
  const v128_t sixth = wasm_f32x4_splat(1.0f / 6.0f);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O; o += 4) {
      /* Columns: scratch[k][j] = (Gᵀ P)[k][j] (5 x 6). */
      for (int j = 0; j < 6; j++) {
#define P(i) wasm_v128_load(p0 + ((6 * (i) + j) * C + c) * O8 + o)
        v128_t y0, y1, y2, y3, y4;
        GT65(P(0), P(1), P(2), P(3), P(4), P(5), y0, y1, y2, y3, y4);
#undef P
        float *s = scratch + 4 * j;
        STORE_Y5(s, 24);
      }
      /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */
      for (int k = 0; k < 5; k++) {
        const float *s = scratch + 24 * k;
        v128_t y0, y1, y2, y3, y4;
        GT65(wasm_v128_load(s), wasm_v128_load(s + 4), wasm_v128_load(s + 8), wasm_v128_load(s + 12), wasm_v128_load(s + 16),
             wasm_v128_load(s + 20), y0, y1, y2, y3, y4);
        STORE_Y5(dw + (k * 5 * C + c) * O + o, C * O);
      }
    }
  }
}
