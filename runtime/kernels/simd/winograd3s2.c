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
#include "winograd.h"

#define UNROLL _Pragma("clang loop unroll(full)")

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

/*
 * u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [3][3][C][O]), f = 9a + b,
 * the 81 matrices u_stride(C, O8) floats apart; columns O..O8 are 0. O a multiple of 4;
 * scratch: 27 vectors.
 */
EXPORT("winograd3s2_filter")
void winograd3s2_filter(const float *w, float *u, float *scratch, int C, int O) {
  const int O8 = ceil8(O), fs = u_stride(C, O8);
  const v128_t zero = wasm_f32x4_splat(0);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O8; o += 4) {
      float *d = u + c * O8 + o;
      if (o >= O) {
        for (int f = 0; f < 81; f++) wasm_v128_store(d + f * fs, zero);
        continue;
      }
      /* Columns: scratch[a][kw] = (G g)[a][kw] (9 x 3). */
      UNROLL for (int kw = 0; kw < 3; kw++) {
        v128_t x[3], y[9];
        UNROLL for (int kh = 0; kh < 3; kh++) x[kh] = wasm_v128_load(w + ((kh * 3 + kw) * C + c) * O + o);
        G93(x, y);
        UNROLL for (int a = 0; a < 9; a++) wasm_v128_store(scratch + 12 * a + 4 * kw, y[a]);
      }
      /* Rows: u[9a + b] = ((G g) Gᵀ)[a][b]. */
      UNROLL for (int a = 0; a < 9; a++) {
        v128_t x[3], y[9];
        UNROLL for (int kw = 0; kw < 3; kw++) x[kw] = wasm_v128_load(scratch + 12 * a + 4 * kw);
        G93(x, y);
        UNROLL for (int b = 0; b < 9; b++) wasm_v128_store(d + (9 * a + b) * fs, y[b]);
      }
    }
  }
}

/* V[f][t][c] for the 9x9 input spans at (2·m·th - PT, 2·m·tw - PL) of the tiles (winograd_input_transform; T: 81 vectors). */
static void transform_inputs9(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  const v128_t zero = wasm_f32x4_splat(0);
  const int rs = W * C;
  int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
  for (int t = 0; t < tn; t++, NEXT_TILE()) {
    const int ih = 2 * m * th - PT, iw = 2 * m * tw - PL;
    const int rows = inside_mask(ih, H, 9), cols = inside_mask(iw, W, 9);
    const float *p = x + ((n * H + ih) * W + iw) * C;
    float *v = V + t * C;
    for (int c = 0; c < C; c += 4, p += 4, v += 4) {
      /* Columns: T[k][l] = (Bᵀ d)[k][l]. */
      UNROLL for (int l = 0; l < 9; l++) {
        v128_t d[9], y[9];
        const int col = (cols >> l) & 1;
        UNROLL for (int k = 0; k < 9; k++) d[k] = col && ((rows >> k) & 1) ? wasm_v128_load(p + l * C + k * rs) : zero;
        B9(d, y);
        UNROLL for (int k = 0; k < 9; k++) wasm_v128_store(T + 36 * k + 4 * l, y[k]);
      }
      /* Rows: V[9k + j] = (T B)[k][j]. */
      UNROLL for (int k = 0; k < 9; k++) {
        v128_t d[9], y[9];
        UNROLL for (int l = 0; l < 9; l++) d[l] = wasm_v128_load(T + 36 * k + 4 * l);
        B9(d, y);
        UNROLL for (int j = 0; j < 9; j++) wasm_v128_store(v + (9 * k + j) * vs, y[j]);
      }
    }
  }
}

/* out for one tile's 4x4 outputs from its 81 products (winograd_output_transform). */
static void transform_out9(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  UNROLL for (int l = 0; l < 9; l++) {
    v128_t x[9], z[4];
    UNROLL for (int k = 0; k < 9; k++) x[k] = wasm_v128_load(m + (9 * k + l) * ms);
    A49(x, z);
    UNROLL for (int i = 0; i < 4; i++) wasm_v128_store(T + 36 * i + 4 * l, z[i]);
  }
  for (int k = 0; k < rows; k++) {
    v128_t x[9], z[4];
    UNROLL for (int l = 0; l < 9; l++) x[l] = wasm_v128_load(T + 36 * k + 4 * l);
    A49(x, z);
    float *yk = y + k * OW * O;
    UNROLL for (int j = 0; j < 4; j++)
      if (j < cols) wasm_v128_store(yk + j * O, wasm_f32x4_add(b, z[j]));
  }
}

/* As winograd_forward for 3x3/2 convolutions, 4x4 output tiles over 9x9 input spans (scratch: winograd_scratch_floats with 81 points); u from winograd3s2_filter. */
EXPORT("winograd3s2_forward")
void winograd3s2_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                         int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 81, transform_inputs9, transform_out9, H, W, C, OH, OW, O, PT, PL);
}

/* E for one tile's 4x4 dy block (winograd_dy_transform): A δ Aᵀ, 81 components. */
static void transform_dy9(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < O8; o += 4) {
    /* Columns: T[f][j] = (A δ)[f][j] (9 x 4), δ outside dy (or past O) 0. */
    UNROLL for (int j = 0; j < 4; j++) {
      v128_t x[4], y[9];
      const int in = j < cols && o < O;
      UNROLL for (int i = 0; i < 4; i++) x[i] = in && i < rows ? wasm_v128_load(d + (i * OW + j) * O + o) : zero;
      A94(x, y);
      UNROLL for (int f = 0; f < 9; f++) wasm_v128_store(T + 16 * f + 4 * j, y[f]);
    }
    /* Rows: E[9f + g] = (T Aᵀ)[f][g]. */
    UNROLL for (int f = 0; f < 9; f++) {
      v128_t x[4], y[9];
      UNROLL for (int j = 0; j < 4; j++) x[j] = wasm_v128_load(T + 16 * f + 4 * j);
      A94(x, y);
      UNROLL for (int g = 0; g < 9; g++) wasm_v128_store(e + (9 * f + g) * es + o, y[g]);
    }
  }
}

/* As winograd_filter_grad for 3x3/2 convolutions (scratch: winograd_grad_scratch_floats with 81 points). */
EXPORT("winograd3s2_filter_grad")
void winograd3s2_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                             int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 81, transform_inputs9, transform_dy9, H, W, C, OH, OW, O, PT, PL);
}

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] (3x3) of P = the sum of `parts` winograd3s2_filter_grad
 * sums, the first at p0 and each `stride` floats after the last. O a multiple of 4; scratch:
 * 27 vectors.
 */
EXPORT("winograd3s2_filter_grad_finish")
void winograd3s2_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O) {
  const int O8 = ceil8(O);
  winograd_sum_parts(p0, parts, stride, 81 * C * O8);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O; o += 4) {
      /* Columns: scratch[k][j] = (Gᵀ P)[k][j] (3 x 9). */
      UNROLL for (int j = 0; j < 9; j++) {
        v128_t x[9], y[3];
        UNROLL for (int i = 0; i < 9; i++) x[i] = wasm_v128_load(p0 + ((9 * i + j) * C + c) * O8 + o);
        GT39(x, y);
        UNROLL for (int k = 0; k < 3; k++) wasm_v128_store(scratch + 36 * k + 4 * j, y[k]);
      }
      /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */
      UNROLL for (int k = 0; k < 3; k++) {
        v128_t x[9], y[3];
        UNROLL for (int j = 0; j < 9; j++) x[j] = wasm_v128_load(scratch + 36 * k + 4 * j);
        GT39(x, y);
        UNROLL for (int l = 0; l < 3; l++) wasm_v128_store(dw + ((k * 3 + l) * C + c) * O + o, y[l]);
      }
    }
  }
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

/* V[f][t][c] for the tiles' 5x5 dy blocks at ((m/2)·th - 1, (m/2)·tw - 1) (winograd_input_transform; m = 8; PT, PL unused). */
static void transform_dy_blocks(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  (void)PT, (void)PL;
  const v128_t zero = wasm_f32x4_splat(0);
  const int rs = W * C;
  int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
  for (int t = 0; t < tn; t++, NEXT_TILE()) {
    const int ih = (m / 2) * th - 1, iw = (m / 2) * tw - 1;
    const int rows = inside_mask(ih, H, 5), cols = inside_mask(iw, W, 5);
    const float *p = x + ((n * H + ih) * W + iw) * C;
    float *v = V + t * C;
    for (int c = 0; c < C; c += 4, p += 4, v += 4) {
      /* Columns: T[k][l] (9 x 5). */
      UNROLL for (int l = 0; l < 5; l++) {
        v128_t d[5], y[9];
        const int col = (cols >> l) & 1;
        UNROLL for (int k = 0; k < 5; k++) d[k] = col && ((rows >> k) & 1) ? wasm_v128_load(p + l * C + k * rs) : zero;
        B95(d, y);
        UNROLL for (int k = 0; k < 9; k++) wasm_v128_store(T + 20 * k + 4 * l, y[k]);
      }
      /* Rows: V[9k + j]. */
      UNROLL for (int k = 0; k < 9; k++) {
        v128_t d[5], y[9];
        UNROLL for (int l = 0; l < 5; l++) d[l] = wasm_v128_load(T + 20 * k + 4 * l);
        B95(d, y);
        UNROLL for (int j = 0; j < 9; j++) wasm_v128_store(v + (9 * k + j) * vs, y[j]);
      }
    }
  }
}

/* y[0..7] = dx along one axis from 9 components: Aᵀ of the first five at the even places, the last four at the odd. */
#define A89(m, y)                                                                              \
  do {                                                                                         \
    v128_t e_[4];                                                                              \
    AT45(m, e_);                                                                               \
    UNROLL for (int j_ = 0; j_ < 4; j_++) y[2 * j_] = e_[j_], y[2 * j_ + 1] = m[5 + j_];        \
  } while (0)

/* dx for one tile's 8x8 block from its 81 products (winograd_output_transform; rows x cols of it inside dx). */
static void transform_out8(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  UNROLL for (int l = 0; l < 9; l++) {
    v128_t x[9], z[8];
    UNROLL for (int k = 0; k < 9; k++) x[k] = wasm_v128_load(m + (9 * k + l) * ms);
    A89(x, z);
    UNROLL for (int i = 0; i < 8; i++) wasm_v128_store(T + 36 * i + 4 * l, z[i]);
  }
  for (int k = 0; k < rows; k++) {
    v128_t x[9], z[8];
    UNROLL for (int l = 0; l < 9; l++) x[l] = wasm_v128_load(T + 36 * k + 4 * l);
    A89(x, z);
    float *yk = y + k * OW * O;
    UNROLL for (int j = 0; j < 8; j++)
      if (j < cols) wasm_v128_store(yk + j * O, wasm_f32x4_add(b, z[j]));
  }
}

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
