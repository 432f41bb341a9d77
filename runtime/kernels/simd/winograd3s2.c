/*
 * 3x3 convolutions with stride 2 (ResNet's downsampling layers) by a Winograd algorithm per
 * input phase. Along a row, output o reads x[2o], x[2o + 1] and x[2o + 2]: the even inputs
 * e_i = x[2i] meet the taps w0 and w2 as a two-tap correlation, y_o = w0·e_o + w2·e_(o+1),
 * and the odd ones o_i = x[2i + 1] meet w1 alone. Four outputs take F(4, 2) (five
 * multiplications, points 0, ±1, 2, ∞) on the five evens under them plus four on the odds: 9
 * instead of 12. A 4x4 block of outputs takes 81 products over the 9x9 input span under it
 * where a direct convolution takes 144 (1.78x fewer); the odd-odd block is the 1x1 tap itself.
 *
 *   F(4, 2):  Bᵀ = [2 -1 -2  1  0]   G = [ 1/2     0]   Aᵀ = [1  1  1  1  0]
 *                  [0 -2 -1  1  0]       [-1/2  -1/2]        [0  1 -1  2  0]
 *                  [0  2 -3  1  0]       [-1/6   1/6]        [0  1  1  4  0]
 *                  [0 -1  0  1  0]       [ 1/6   1/3]        [0  1 -1  8  1]
 *                  [0  2 -1 -2  1]       [   0     1]
 *
 * and along each axis the nine components are Bᵀ of the evens then the odds themselves, G of
 * (w0, w2) then w1 four times, and the outputs Aᵀ of the first five plus the last four. The
 * filter gradient in winograd.c's form, dW = Gᵀ[Σ_tiles (A δ Aᵀ) ⊙ (Bᵀ d B)]G with these
 * 9-component maps. Phases, chunks and threading through winograd.c's shared loops (81
 * components, tiles of 4x4 outputs).
 */
#include "winograd_gen.h"


/* y0..y4 = Bᵀ·(e0..e4) (F(4, 2)). */
#define BT5(e0, e1, e2, e3, e4, y0, y1, y2, y3, y4)                                 \
  do {                                                                              \
    const v128_t two_ = wasm_f32x4_splat(2.0f), d32_ = wasm_f32x4_sub((e3), (e2));  \
    y3 = wasm_f32x4_sub((e3), (e1));                                                \
    y0 = wasm_f32x4_add(wasm_f32x4_mul(two_, wasm_f32x4_sub((e0), (e2))), y3);      \
    y1 = wasm_f32x4_sub(d32_, wasm_f32x4_mul(two_, (e1)));                          \
    y2 = wasm_f32x4_add(d32_, wasm_f32x4_mul(two_, wasm_f32x4_sub((e1), (e2))));    \
    y4 = wasm_f32x4_sub(wasm_f32x4_sub((e4), (e2)), wasm_f32x4_mul(two_, y3));      \
  } while (0)

/* y[0..8] = the nine components of a 9-long span s (evens by Bᵀ, then the odds). */
#define B9(s, y)                                                  \
  do {                                                            \
    BT5(s[0], s[2], s[4], s[6], s[8], y[0], y[1], y[2], y[3], y[4]); \
    y[5] = s[1], y[6] = s[3], y[7] = s[5], y[8] = s[7];           \
  } while (0)

/* y[0..3] = Aᵀ·m[0..4] (F(4, 2)). */
#define AT45(m, y)                                                                                      \
  do {                                                                                                  \
    const v128_t s12_ = wasm_f32x4_add(m[1], m[2]), d12_ = wasm_f32x4_sub(m[1], m[2]);                  \
    y[0] = wasm_f32x4_add(wasm_f32x4_add(m[0], s12_), m[3]);                                            \
    y[1] = wasm_f32x4_add(d12_, wasm_f32x4_mul(wasm_f32x4_splat(2.0f), m[3]));                          \
    y[2] = wasm_f32x4_add(s12_, wasm_f32x4_mul(wasm_f32x4_splat(4.0f), m[3]));                          \
    y[3] = wasm_f32x4_add(wasm_f32x4_add(d12_, wasm_f32x4_mul(wasm_f32x4_splat(8.0f), m[3])), m[4]);    \
  } while (0)

/* y[0..3] = Aᵀ of m[0..4] plus m[5..8]. */
#define A49(m, y)                                              \
  do {                                                         \
    AT45(m, y);                                                \
    UNROLL for (int j_ = 0; j_ < 4; j_++) y[j_] = wasm_f32x4_add(y[j_], m[5 + j_]); \
  } while (0)

/* y[0..8] = A·d (A = (Aᵀ)ᵀ for the first five, then d itself). */
#define A94(d, y)                                                                                       \
  do {                                                                                                  \
    const v128_t s02_ = wasm_f32x4_add(d[0], d[2]), s13_ = wasm_f32x4_add(d[1], d[3]);                  \
    y[0] = d[0];                                                                                        \
    y[1] = wasm_f32x4_add(s02_, s13_);                                                                  \
    y[2] = wasm_f32x4_sub(s02_, s13_);                                                                  \
    y[3] = wasm_f32x4_add(wasm_f32x4_add(d[0], wasm_f32x4_mul(wasm_f32x4_splat(2.0f), d[1])),           \
                          wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(4.0f), d[2]), wasm_f32x4_mul(wasm_f32x4_splat(8.0f), d[3]))); \
    y[4] = d[3];                                                                                        \
    y[5] = d[0], y[6] = d[1], y[7] = d[2], y[8] = d[3];                                                 \
  } while (0)

/* y[0..8] = G of (w0, w2), then w1 four times. */
#define G93(w, y)                                                                                         \
  do {                                                                                                    \
    const v128_t sixth_ = wasm_f32x4_splat(1.0f / 6.0f);                                                  \
    y[0] = wasm_f32x4_mul(wasm_f32x4_splat(0.5f), w[0]);                                                  \
    y[1] = wasm_f32x4_mul(wasm_f32x4_splat(-0.5f), wasm_f32x4_add(w[0], w[2]));                           \
    y[2] = wasm_f32x4_mul(sixth_, wasm_f32x4_sub(w[2], w[0]));                                            \
    y[3] = wasm_f32x4_add(wasm_f32x4_mul(sixth_, w[0]), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 3.0f), w[2])); \
    y[4] = w[2];                                                                                          \
    y[5] = y[6] = y[7] = y[8] = w[1];                                                                     \
  } while (0)

/* y[0..2] = Gᵀ·p (the transpose of G93). */
#define GT39(p, y)                                                                                                     \
  do {                                                                                                                 \
    const v128_t sixth_ = wasm_f32x4_splat(1.0f / 6.0f), half_ = wasm_f32x4_splat(0.5f);                               \
    y[0] = wasm_f32x4_add(wasm_f32x4_mul(half_, wasm_f32x4_sub(p[0], p[1])), wasm_f32x4_mul(sixth_, wasm_f32x4_sub(p[3], p[2]))); \
    y[1] = wasm_f32x4_add(wasm_f32x4_add(p[5], p[6]), wasm_f32x4_add(p[7], p[8]));                                     \
    y[2] = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(-0.5f), p[1]), wasm_f32x4_mul(sixth_, p[2])),   \
                          wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 3.0f), p[3]), p[4]));                  \
  } while (0)

/* Row (column) of a tile's 9x9 input span: stride 2 over outputs m apart. */
#define ORIGIN_S2(m, t, P) (2 * (m) * (t) - (P))

/* The filter transform (winograd_gen.h; scratch: 27 vectors), input and output transforms, dy transform and filter-gradient finish. */
WINOGRAD_FILTER(winograd3s2_filter, 3, 9, G93)
WINOGRAD_INPUTS(transform_inputs9, 9, 9, ORIGIN_S2, B9)
WINOGRAD_OUTPUTS(transform_out9, 9, 4, A49)
WINOGRAD_DY(transform_dy9, 4, 9, A94)
WINOGRAD_FINISH(winograd3s2_filter_grad_finish, 9, 3, GT39)

/* As winograd_forward for 3x3/2 convolutions, 4x4 output tiles over 9x9 input spans (scratch: winograd_scratch_floats with 81 points); u from winograd3s2_filter. */
EXPORT("winograd3s2_forward")
void winograd3s2_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                         int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 81, transform_inputs9, transform_out9, H, W, C, OH, OW, O, PT, PL);
}

/* As winograd_filter_grad for 3x3/2 convolutions (scratch: winograd_grad_scratch_floats with 81 points); winograd3s2_filter_grad_finish transforms back. */
EXPORT("winograd3s2_filter_grad")
void winograd3s2_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                             int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 81, transform_inputs9, transform_dy9, H, W, C, OH, OW, O, PT, PL, CR);
}

/*
 * The input gradient of a 3x3/2 convolution with no padding before the map (TF's 'same' over
 * even maps, and 'valid'): dx[2j] = w0·dy[j] + w2·dy[j - 1] is F(4, 2) over the five dy
 * values from j - 1 (taps (w2, w0)), and dx[2j + 1] = w1·dy[j] the four from j. So a tile is
 * 8x8 of dx from the 5x5 block of dy at (4·th - 1, 4·tw - 1), with the same 81 components as
 * the forward pass: Bᵀ of the block then its last four, and a filter from
 * winograd3s2_filter of the flipped, in/out-swapped filter (flip_filter), whose G takes
 * (w2, w0) and w1. The output transform interleaves Aᵀ's four even outputs with the four odd.
 */

/* y[0..8] = the components of a 5-long dy span s (Bᵀ of it, then s1..s4). */
#define B95(s, y)                                                  \
  do {                                                             \
    BT5(s[0], s[1], s[2], s[3], s[4], y[0], y[1], y[2], y[3], y[4]); \
    y[5] = s[1], y[6] = s[2], y[7] = s[3], y[8] = s[4];            \
  } while (0)

/* y[0..7] = dx along one axis from 9 components: Aᵀ of the first five at the even places, the last four at the odd. */
#define A89(m, y)                                                                              \
  do {                                                                                         \
    v128_t e_[4];                                                                              \
    AT45(m, e_);                                                                               \
    UNROLL for (int j_ = 0; j_ < 4; j_++) y[2 * j_] = e_[j_], y[2 * j_ + 1] = m[5 + j_];        \
  } while (0)

/* A tile's 5x5 dy block starts one before its 4 (= m/2) dy rows (columns); PT, PL unused. */
#define ORIGIN_DX(m, t, P) ((m) / 2 * (t) - 1)

/* The dy blocks' transform and dx's output transform (winograd_gen.h): 8x8 of dx, evens and odds interleaved. */
WINOGRAD_INPUTS(transform_dy_blocks, 5, 9, ORIGIN_DX, B95)
WINOGRAD_OUTPUTS(transform_out8, 9, 8, A89)

/*
 * dx (OH x OW x O) of a 3x3/2 convolution with no padding before the map, from dy (H x W x C)
 * and u = winograd3s2_filter of the flipped filter (C its in, O its out channels), for the 8x8
 * tiles t0..t1 (scratch: winograd_scratch_floats with 81 points; bias 0).
 */
EXPORT("winograd3s2_input_grad")
void winograd3s2_input_grad(const float *dy, const float *u, const float *bias, float *dx, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(dy, u, bias, dx, scratch, t0, t1, chunk, 8, 81, transform_dy_blocks, transform_out8, H, W, C, OH, OW, O, PT, PL);
}
