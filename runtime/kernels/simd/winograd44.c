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
#include "winograd.h"

#define UNROLL _Pragma("clang loop unroll(full)")

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

/*
 * u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [4][4][C][O]), f = 7i + j,
 * the 49 matrices u_stride(C, O8) floats apart; columns O..O8 are 0. O a multiple of 4;
 * scratch: 28 vectors.
 */
EXPORT("winograd44_filter")
void winograd44_filter(const float *w, float *u, float *scratch, int C, int O) {
  const int O8 = ceil8(O), fs = u_stride(C, O8);
  const v128_t zero = wasm_f32x4_splat(0);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O8; o += 4) {
      float *d = u + c * O8 + o;
      if (o >= O) {
        for (int f = 0; f < 49; f++) wasm_v128_store(d + f * fs, zero);
        continue;
      }
      /* Columns: scratch[i][k] = (G g)[i][k] (7 x 4). */
      UNROLL for (int k = 0; k < 4; k++) {
        v128_t x[4], y[7];
        UNROLL for (int i = 0; i < 4; i++) x[i] = wasm_v128_load(w + ((i * 4 + k) * C + c) * O + o);
        G74(x, y);
        UNROLL for (int i = 0; i < 7; i++) wasm_v128_store(scratch + 16 * i + 4 * k, y[i]);
      }
      /* Rows: u[7i + j] = ((G g) Gᵀ)[i][j]. */
      UNROLL for (int i = 0; i < 7; i++) {
        v128_t x[4], y[7];
        UNROLL for (int k = 0; k < 4; k++) x[k] = wasm_v128_load(scratch + 16 * i + 4 * k);
        G74(x, y);
        UNROLL for (int j = 0; j < 7; j++) wasm_v128_store(d + (7 * i + j) * fs, y[j]);
      }
    }
  }
}

/* V[f][t][c] = (Bᵀ d B)[f] for the 7x7 input patches d of the tiles (winograd_transform_inputs' form; T: 49 vectors). */
static void transform_inputs7(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  const v128_t zero = wasm_f32x4_splat(0);
  const int rs = W * C;
  int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
  for (int t = 0; t < tn; t++, NEXT_TILE()) {
    const int ih = m * th - PT, iw = m * tw - PL;
    const int rows = inside_mask(ih, H, 7), cols = inside_mask(iw, W, 7);
    const float *p = x + ((n * H + ih) * W + iw) * C;
    float *v = V + t * C;
    for (int c = 0; c < C; c += 4, p += 4, v += 4) {
      /* Columns: T[k][l] = (Bᵀ d)[k][l]. */
      UNROLL for (int l = 0; l < 7; l++) {
        v128_t d[7], y[7];
        const int col = (cols >> l) & 1;
        UNROLL for (int k = 0; k < 7; k++) d[k] = col && ((rows >> k) & 1) ? wasm_v128_load(p + l * C + k * rs) : zero;
        BT7(d, y);
        UNROLL for (int k = 0; k < 7; k++) wasm_v128_store(T + 28 * k + 4 * l, y[k]);
      }
      /* Rows: V[7k + j] = (T B)[k][j]. */
      UNROLL for (int k = 0; k < 7; k++) {
        v128_t d[7], y[7];
        UNROLL for (int l = 0; l < 7; l++) d[l] = wasm_v128_load(T + 28 * k + 4 * l);
        BT7(d, y);
        UNROLL for (int j = 0; j < 7; j++) wasm_v128_store(v + (7 * k + j) * vs, y[j]);
      }
    }
  }
}

/* out for one tile's 4x4 outputs from its 49 products (winograd_output_transform). */
static void transform_out44(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  UNROLL for (int l = 0; l < 7; l++) {
    v128_t x[7], z[4];
    UNROLL for (int k = 0; k < 7; k++) x[k] = wasm_v128_load(m + (7 * k + l) * ms);
    AT47(x, z);
    UNROLL for (int i = 0; i < 4; i++) wasm_v128_store(T + 28 * i + 4 * l, z[i]);
  }
  for (int k = 0; k < rows; k++) {
    v128_t x[7], z[4];
    UNROLL for (int l = 0; l < 7; l++) x[l] = wasm_v128_load(T + 28 * k + 4 * l);
    AT47(x, z);
    float *yk = y + k * OW * O;
    UNROLL for (int j = 0; j < 4; j++)
      if (j < cols) wasm_v128_store(yk + j * O, wasm_f32x4_add(b, z[j]));
  }
}

/* As winograd_forward with 4x4 filters and tiles, 7x7 patches (scratch: winograd_scratch_floats with 49 points); u from winograd44_filter. */
EXPORT("winograd44_forward")
void winograd44_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 49, transform_inputs7, transform_out44, H, W, C, OH, OW, O, PT, PL);
}

/* E for one tile's 4x4 dy block (winograd_dy_transform): A δ Aᵀ, 49 components. */
static void transform_dy44(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < O8; o += 4) {
    /* Columns: T[f][j] = (A δ)[f][j] (7 x 4), δ outside dy (or past O) 0. */
    UNROLL for (int j = 0; j < 4; j++) {
      v128_t x[4], y[7];
      const int in = j < cols && o < O;
      UNROLL for (int i = 0; i < 4; i++) x[i] = in && i < rows ? wasm_v128_load(d + (i * OW + j) * O + o) : zero;
      A74(x, y);
      UNROLL for (int f = 0; f < 7; f++) wasm_v128_store(T + 16 * f + 4 * j, y[f]);
    }
    /* Rows: E[7f + g] = (T Aᵀ)[f][g]. */
    UNROLL for (int f = 0; f < 7; f++) {
      v128_t x[4], y[7];
      UNROLL for (int j = 0; j < 4; j++) x[j] = wasm_v128_load(T + 16 * f + 4 * j);
      A74(x, y);
      UNROLL for (int g = 0; g < 7; g++) wasm_v128_store(e + (7 * f + g) * es + o, y[g]);
    }
  }
}

/* As winograd_filter_grad with 4x4 filters and tiles (scratch: winograd_grad_scratch_floats with 49 points). */
EXPORT("winograd44_filter_grad")
void winograd44_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 49, transform_inputs7, transform_dy44, H, W, C, OH, OW, O, PT, PL);
}

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] (4x4) of P = the sum of `parts` winograd44_filter_grad
 * sums, the first at p0 and each `stride` floats after the last. O a multiple of 4; scratch:
 * 28 vectors.
 */
EXPORT("winograd44_filter_grad_finish")
void winograd44_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O) {
  const int O8 = ceil8(O);
  winograd_sum_parts(p0, parts, stride, 49 * C * O8);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O; o += 4) {
      /* Columns: scratch[k][j] = (Gᵀ P)[k][j] (4 x 7). */
      UNROLL for (int j = 0; j < 7; j++) {
        v128_t x[7], y[4];
        UNROLL for (int i = 0; i < 7; i++) x[i] = wasm_v128_load(p0 + ((7 * i + j) * C + c) * O8 + o);
        GT47(x, y);
        UNROLL for (int k = 0; k < 4; k++) wasm_v128_store(scratch + 28 * k + 4 * j, y[k]);
      }
      /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */
      UNROLL for (int k = 0; k < 4; k++) {
        v128_t x[7], y[4];
        UNROLL for (int j = 0; j < 7; j++) x[j] = wasm_v128_load(scratch + 28 * k + 4 * j);
        GT47(x, y);
        UNROLL for (int l = 0; l < 4; l++) wasm_v128_store(dw + ((k * 4 + l) * C + c) * O + o, y[l]);
      }
    }
  }
}
