/*
 * 4x4 convolutions with unit stride by Winograd's F(4x4, 4x4): a 4x4 block of outputs from
 * the 7x7 input patch under it, 49 multiplications per (input, output) channel pair where a
 * direct convolution takes 256. A ResNet stem (7x7/2 over 3 channels) is a 4x4/1 convolution
 * over 12 channels after space-to-depth (winograd.ts); its 16x16 output (a 32x32 input) takes
 * 16 of these tiles an image, where F(3x3, 4x4)'s 3x3 tiles cover it as 18x18 with 36: 784
 * products an image instead of 1,296. Interpolation points 0, ±1, ±2, -1/2, ∞: F(4x4, 3x3)'s
 * and -1/2 (float32 results as accurate as F(3x3, 4x4)'s on random inputs):
 *
 *   Bᵀ = [2   4 -5/2   -5  1/2  1  0]   G = [  1/2      0      0      0]   Aᵀ = [1  1  1  1  1    1  0]
 *        [0  -2   -6 -7/2  3/2  1  0]       [ -1/9   -1/9   -1/9   -1/9]        [0  1 -1  2 -2 -1/2  0]
 *        [0   2    2 -9/2 -1/2  1  0]       [  1/3   -1/3    1/3   -1/3]        [0  1  1  4  4  1/4  0]
 *        [0  -1 -5/2    0  5/2  1  0]       [ 1/60   1/30   1/15   2/15]        [0  1 -1  8 -8 -1/8  1]
 *        [0   1  3/2   -2 -3/2  1  0]       [-1/36   1/18   -1/9    2/9]
 *        [0   4    0   -5    0  1  0]       [-32/45 16/45  -8/45   4/45]
 *        [0   2    4 -5/2   -5  1/2 1]       [    0      0      0      1]
 *
 * Bᵀ's rows are those of the polynomials M(x)/(x - p) (M = Π over the finite points of
 * (x - p); M itself for ∞) read against the patch. With M = (x + 1/2)·N, N F(4x4, 3x3)'s, every
 * row but the one for -1/2 is F(4x4, 3x3)'s Bᵀ (BT6) applied to d'_l = d_l/2 + d_(l+1), and
 * the row for -1/2 is N's: ~36 operations a column instead of the ~47 of the rows as written.
 * Aᵀ and A are likewise F(4x4, 3x3)'s plus the column (row) for -1/2.
 *
 * Phases, chunks, threading and the filter gradient's form as in winograd.c, through its
 * shared loops with 49 components. The module may hold no data, so the filter transforms (once
 * a call) are written as their matrices' rows (LIN4, LIN7), which the compiler resolves into
 * adds, subtractions and multiplications by the nonzero coefficients.
 */
#include "winograd_gen.h"


/* s + c·x for a constant c: nothing for 0, an add or a subtraction for ±1 (inlined, so resolved when compiled). */
static inline __attribute__((always_inline)) v128_t axpy(v128_t s, float c, v128_t x) {
  if (c == 0.0f) return s;
  if (c == 1.0f) return wasm_f32x4_add(s, x);
  if (c == -1.0f) return wasm_f32x4_sub(s, x);
  return wasm_f32x4_add(s, wasm_f32x4_mul(wasm_f32x4_splat(c), x));
}

/* Σ_j c_j·x[j] on vectors (-0 + v is v, so the first term costs nothing). */
#define LIN4(c0, c1, c2, c3, x) axpy(axpy(axpy(axpy(wasm_f32x4_splat(-0.0f), c0, x[0]), c1, x[1]), c2, x[2]), c3, x[3])
#define LIN7(c0, c1, c2, c3, c4, c5, c6, x) axpy(axpy(axpy(LIN4(c0, c1, c2, c3, x), c4, x[4]), c5, x[5]), c6, x[6])

/* y = Bᵀ·x (7 from 7): BT6 of x'_l = x_l/2 + x_(l+1), and N's row for -1/2. */
#define BT7(x, y)                                                                                           \
  do {                                                                                                      \
    const v128_t half_ = wasm_f32x4_splat(0.5f);                                                            \
    v128_t s_[6];                                                                                           \
    UNROLL for (int l_ = 0; l_ < 6; l_++) s_[l_] = wasm_f32x4_add(wasm_f32x4_mul(half_, x[l_]), x[l_ + 1]); \
    BT6(s_[0], s_[1], s_[2], s_[3], s_[4], s_[5], y[0], y[1], y[2], y[3], y[4], y[6]);                      \
    y[5] = wasm_f32x4_add(LIN4(0, 4, 0, -5, x), x[5]);                                                      \
  } while (0)

/* y = G·x (7 from 4). */
#define G74(x, y)                                                                              \
  do {                                                                                         \
    y[0] = LIN4(0.5f, 0, 0, 0, x);                                                             \
    y[1] = LIN4(-1.0f / 9, -1.0f / 9, -1.0f / 9, -1.0f / 9, x);                                \
    y[2] = LIN4(1.0f / 3, -1.0f / 3, 1.0f / 3, -1.0f / 3, x);                                  \
    y[3] = LIN4(1.0f / 60, 1.0f / 30, 1.0f / 15, 2.0f / 15, x);                                \
    y[4] = LIN4(-1.0f / 36, 1.0f / 18, -1.0f / 9, 2.0f / 9, x);                                \
    y[5] = LIN4(-32.0f / 45, 16.0f / 45, -8.0f / 45, 4.0f / 45, x);                            \
    y[6] = x[3];                                                                               \
  } while (0)

/* y = Gᵀ·x (4 from 7). */
#define GT47(x, y)                                                                                     \
  do {                                                                                                 \
    y[0] = LIN7(0.5f, -1.0f / 9, 1.0f / 3, 1.0f / 60, -1.0f / 36, -32.0f / 45, 0, x);                  \
    y[1] = LIN7(0, -1.0f / 9, -1.0f / 3, 1.0f / 30, 1.0f / 18, 16.0f / 45, 0, x);                      \
    y[2] = LIN7(0, -1.0f / 9, 1.0f / 3, 1.0f / 15, -1.0f / 9, -8.0f / 45, 0, x);                       \
    y[3] = LIN7(0, -1.0f / 9, -1.0f / 3, 2.0f / 15, 2.0f / 9, 4.0f / 45, 1, x);                        \
  } while (0)

/* y = Aᵀ·x (4 from 7): AT6 of the columns for 0, ±1, ±2 and ∞, plus the column for -1/2, (1, -1/2, 1/4, -1/8). */
#define AT47(x, y)                                                                  \
  do {                                                                              \
    AT6(x[0], x[1], x[2], x[3], x[4], x[6], y[0], y[1], y[2], y[3]);                \
    y[0] = wasm_f32x4_add(y[0], x[5]);                                              \
    y[1] = wasm_f32x4_sub(y[1], wasm_f32x4_mul(wasm_f32x4_splat(0.5f), x[5]));      \
    y[2] = wasm_f32x4_add(y[2], wasm_f32x4_mul(wasm_f32x4_splat(0.25f), x[5]));     \
    y[3] = wasm_f32x4_sub(y[3], wasm_f32x4_mul(wasm_f32x4_splat(0.125f), x[5]));    \
  } while (0)

/* y = A·x (7 from 4): A6's rows for 0, ±1, ±2 and ∞, and the row for -1/2. */
#define A74(x, y)                                                      \
  do {                                                                 \
    A6(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], y[4], y[6]);    \
    y[5] = LIN4(1, -0.5f, 0.25f, -0.125f, x);                          \
  } while (0)

/* F(4x4, 4x4)'s filter transform (winograd_gen.h; scratch: 28 vectors), input and output transforms, dy transform and filter-gradient finish. */
WINOGRAD_FILTER(winograd44_filter, 4, 7, G74)
WINOGRAD_INPUTS(transform_inputs7, 7, 7, WINOGRAD_ORIGIN, BT7)
WINOGRAD_OUTPUTS(transform_out44, 7, 4, AT47)
WINOGRAD_DY(transform_dy44, 4, 7, A74)
WINOGRAD_FINISH(winograd44_filter_grad_finish, 7, 4, GT47)

/* As winograd_forward with 4x4 filters and tiles, 7x7 patches (scratch: winograd_scratch_floats with 49 points); u from winograd44_filter. */
EXPORT("winograd44_forward")
void winograd44_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 49, transform_inputs7, transform_out44, H, W, C, OH, OW, O, PT, PL);
}

/* As winograd_filter_grad with 4x4 filters and tiles (scratch: winograd_grad_scratch_floats with 49 points); winograd44_filter_grad_finish transforms back. */
EXPORT("winograd44_filter_grad")
void winograd44_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 49, transform_inputs7, transform_dy44, H, W, C, OH, OW, O, PT, PL, CR);
}
