/*
 * 4x4 convolutions with unit stride by Winograd's F(3x3, 4x4): a 3x3 block of outputs from
 * the 6x6 input patch under it, 36 multiplications per (input, output) channel pair where a
 * direct convolution takes 144. The stride-2 stem of a ResNet (7x7/2 over 3 channels) is one
 * of these after a space-to-depth rearrangement (winograd.ts): a 4x4/1 convolution over 12
 * channels. Same points as winograd.c's F(4x4, 3x3), so the same Bᵀ and input transform; here
 *
 *   G = [ 1/4     0     0     0]    Aᵀ = [1  1  1  1  1  0]
 *       [-1/6  -1/6  -1/6  -1/6]         [0  1 -1  2 -2  0]
 *       [-1/6   1/6  -1/6   1/6]         [0  1  1  4  4  1]
 *       [1/24  1/12   1/6   1/3]
 *       [1/24 -1/12   1/6  -1/3]
 *       [   0     0     0     1]
 *
 * Phases, chunks, threading and the filter gradient's form as in winograd.c.
 */
#include "winograd.h"

/* y0..y5 = G·(a, b, c, d) on vectors. */
#define G64(a, b, c, d, y0, y1, y2, y3, y4, y5)                                                                         \
  do {                                                                                                                  \
    const v128_t even = wasm_f32x4_add((a), (c)), odd = wasm_f32x4_add((b), (d));                                       \
    const v128_t q = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 24.0f), (a)), wasm_f32x4_mul(sixth, (c)));    \
    const v128_t r = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 12.0f), (b)), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 3.0f), (d))); \
    y0 = wasm_f32x4_mul(wasm_f32x4_splat(0.25f), (a));                                                                  \
    y1 = wasm_f32x4_neg(wasm_f32x4_mul(sixth, wasm_f32x4_add(even, odd)));                                              \
    y2 = wasm_f32x4_neg(wasm_f32x4_mul(sixth, wasm_f32x4_sub(even, odd)));                                              \
    y3 = wasm_f32x4_add(q, r);                                                                                          \
    y4 = wasm_f32x4_sub(q, r);                                                                                          \
    y5 = (d);                                                                                                           \
  } while (0)

/*
 * u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [4][4][C][O]), f = 6i + j,
 * the 36 matrices u_stride(C, O8) floats apart, for input channels c0 <= c < c1 (threads split
 * them, each with its own scratch); columns O..O8 are 0. O a multiple of 4;
 * scratch: 24 vectors.
 */
EXPORT("winograd34_filter")
void winograd34_filter(const float *w, float *u, float *scratch, int C, int O, int c0, int c1) {
  const int O8 = ceil8(O), fs = u_stride(C, O8);
  const v128_t zero = wasm_f32x4_splat(0), sixth = wasm_f32x4_splat(1.0f / 6.0f);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O8; o += 4) {
      float *d = u + c * O8 + o;
      if (o >= O) {
        for (int f = 0; f < 36; f++) wasm_v128_store(d + f * fs, zero);
        continue;
      }
#define W(kh, kw) wasm_v128_load(w + (((kh) * 4 + (kw)) * C + c) * O + o)
      /* Columns: scratch[i][k] = (G g)[i][k] (6 x 4). */
      for (int k = 0; k < 4; k++) {
        v128_t y0, y1, y2, y3, y4, y5;
        G64(W(0, k), W(1, k), W(2, k), W(3, k), y0, y1, y2, y3, y4, y5);
        float *s = scratch + 4 * k;
        STORE_Y6(s, 16);
      }
#undef W
      /* Rows: u[6i + j] = ((G g) Gᵀ)[i][j]. */
      for (int i = 0; i < 6; i++) {
        const float *s = scratch + 16 * i;
        v128_t y0, y1, y2, y3, y4, y5;
        G64(wasm_v128_load(s), wasm_v128_load(s + 4), wasm_v128_load(s + 8), wasm_v128_load(s + 12), y0, y1, y2, y3, y4, y5);
        float *di = d + 6 * i * fs;
        STORE_Y6(di, fs);
      }
    }
  }
}

/* y0..y2 = Aᵀ·(m0..m5) on vectors. */
#define AT63(m0, m1, m2, m3, m4, m5, y0, y1, y2)                                                     \
  do {                                                                                              \
    const v128_t s12 = wasm_f32x4_add((m1), (m2)), d12 = wasm_f32x4_sub((m1), (m2));                \
    const v128_t s34 = wasm_f32x4_add((m3), (m4)), d34 = wasm_f32x4_sub((m3), (m4));                \
    y0 = wasm_f32x4_add(wasm_f32x4_add((m0), s12), s34);                                            \
    y1 = wasm_f32x4_add(d12, wasm_f32x4_mul(wasm_f32x4_splat(2.0f), d34));                          \
    y2 = wasm_f32x4_add(wasm_f32x4_add(s12, wasm_f32x4_mul(wasm_f32x4_splat(4.0f), s34)), (m5));    \
  } while (0)

/* out for one tile's 3x3 outputs from its products (winograd_output_transform). */
static void transform_out3(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  for (int l = 0; l < 6; l++) {
    const float *ml = m + l * ms;
    v128_t y0, y1, y2;
    AT63(wasm_v128_load(ml), wasm_v128_load(ml + 6 * ms), wasm_v128_load(ml + 12 * ms), wasm_v128_load(ml + 18 * ms),
         wasm_v128_load(ml + 24 * ms), wasm_v128_load(ml + 30 * ms), y0, y1, y2);
    float *tl = T + 4 * l;
    STORE_Y3(tl, 24);
  }
  for (int k = 0; k < rows; k++) {
    const float *tk = T + 24 * k;
    v128_t y0, y1, y2;
    AT63(wasm_v128_load(tk), wasm_v128_load(tk + 4), wasm_v128_load(tk + 8), wasm_v128_load(tk + 12), wasm_v128_load(tk + 16),
         wasm_v128_load(tk + 20), y0, y1, y2);
    float *yk = y + k * OW * O;
    wasm_v128_store(yk, wasm_f32x4_add(b, y0));
    if (cols > 1) wasm_v128_store(yk + O, wasm_f32x4_add(b, y1));
    if (cols > 2) wasm_v128_store(yk + 2 * O, wasm_f32x4_add(b, y2));
  }
}

/* As winograd_forward with 3x3 tiles and 4x4 filters (same scratch size); u from winograd34_filter. */
EXPORT("winograd34_forward")
void winograd34_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 3, 36, winograd_transform_inputs, transform_out3, H, W, C, OH, OW, O, PT, PL);
}

/* y0..y5 = A·(e0, e1, e2) on vectors (A = (Aᵀ)ᵀ, 6 x 3). */
#define A63(e0, e1, e2, y0, y1, y2, y3, y4, y5)                                              \
  do {                                                                                       \
    const v128_t s02 = wasm_f32x4_add((e0), (e2));                                           \
    const v128_t q = wasm_f32x4_add((e0), wasm_f32x4_mul(wasm_f32x4_splat(4.0f), (e2)));     \
    const v128_t twice = wasm_f32x4_add((e1), (e1));                                         \
    y0 = (e0);                                                                               \
    y1 = wasm_f32x4_add(s02, (e1));                                                          \
    y2 = wasm_f32x4_sub(s02, (e1));                                                          \
    y3 = wasm_f32x4_add(q, twice);                                                           \
    y4 = wasm_f32x4_sub(q, twice);                                                           \
    y5 = (e2);                                                                               \
  } while (0)

/* E for one tile's 3x3 dy block (winograd_dy_transform). */
static void transform_dy3(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < O8; o += 4) {
    /* Columns: T[f][j] = (A δ)[f][j] (6 x 3), δ outside dy (or past O) 0. */
    for (int j = 0; j < 3; j++) {
      v128_t e0 = zero, e1 = zero, e2 = zero;
      if (j < cols && o < O) {
        const float *q = d + j * O + o;
        e0 = wasm_v128_load(q);
        if (rows > 1) e1 = wasm_v128_load(q + OW * O);
        if (rows > 2) e2 = wasm_v128_load(q + 2 * OW * O);
      }
      v128_t y0, y1, y2, y3, y4, y5;
      A63(e0, e1, e2, y0, y1, y2, y3, y4, y5);
      float *tj = T + 4 * j;
      STORE_Y6(tj, 12);
    }
    /* Rows: E[6f + g] = (T Aᵀ)[f][g]. */
    for (int f = 0; f < 6; f++) {
      const float *tf = T + 12 * f;
      v128_t y0, y1, y2, y3, y4, y5;
      A63(wasm_v128_load(tf), wasm_v128_load(tf + 4), wasm_v128_load(tf + 8), y0, y1, y2, y3, y4, y5);
      float *ef = e + 6 * f * es + o;
      STORE_Y6(ef, es);
    }
  }
}

/* As winograd_filter_grad with 3x3 tiles and 4x4 filters (same scratch size, winograd_grad_scratch_floats). */
EXPORT("winograd34_filter_grad")
void winograd34_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 3, 36, winograd_transform_inputs, transform_dy3, H, W, C, OH, OW, O, PT, PL, CR);
}

/* y0..y3 = Gᵀ·(p0..p5) on vectors. */
#define GT64(p0, p1, p2, p3, p4, p5, y0, y1, y2, y3)                                                    \
  do {                                                                                                  \
    const v128_t s12 = wasm_f32x4_add((p1), (p2)), d21 = wasm_f32x4_sub((p2), (p1));                    \
    const v128_t s34 = wasm_f32x4_add((p3), (p4)), d34 = wasm_f32x4_sub((p3), (p4));                    \
    const v128_t ns = wasm_f32x4_neg(wasm_f32x4_mul(sixth, s12)), dd = wasm_f32x4_mul(sixth, d21);      \
    y0 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(0.25f), (p0)), ns), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 24.0f), s34)); \
    y1 = wasm_f32x4_add(dd, wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 12.0f), d34));                       \
    y2 = wasm_f32x4_add(ns, wasm_f32x4_mul(sixth, s34));                                                \
    y3 = wasm_f32x4_add(wasm_f32x4_add(dd, wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 3.0f), d34)), (p5));  \
  } while (0)

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] (4x4) of P = the sum of `parts` winograd34_filter_grad
 * sums, the first at p0 and each `stride` floats after the last, for input channels
 * c0 <= c < c1 (threads split them, each with its own scratch). O a multiple of 4; scratch:
 * 24 vectors.
 */
EXPORT("winograd34_filter_grad_finish")
void winograd34_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O, int c0, int c1) {
  const int O8 = ceil8(O);
  winograd_sum_rows(p0, parts, stride, 36, C, O8, c0, c1);
  const v128_t sixth = wasm_f32x4_splat(1.0f / 6.0f);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O; o += 4) {
      /* Columns: scratch[k][j] = (Gᵀ P)[k][j] (4 x 6). */
      for (int j = 0; j < 6; j++) {
#define P(i) wasm_v128_load(p0 + ((6 * (i) + j) * C + c) * O8 + o)
        v128_t y0, y1, y2, y3;
        GT64(P(0), P(1), P(2), P(3), P(4), P(5), y0, y1, y2, y3);
#undef P
        float *s = scratch + 4 * j;
        STORE_Y4(s, 24);
      }
      /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */
      for (int k = 0; k < 4; k++) {
        const float *s = scratch + 24 * k;
        v128_t y0, y1, y2, y3;
        GT64(wasm_v128_load(s), wasm_v128_load(s + 4), wasm_v128_load(s + 8), wasm_v128_load(s + 12), wasm_v128_load(s + 16),
             wasm_v128_load(s + 20), y0, y1, y2, y3);
        STORE_Y4(dw + (k * 4 * C + c) * O + o, C * O);
      }
    }
  }
}

/* d[0..n) = s[0..n) (s non-null) or 0: four floats at a time, then two, then one. */
static inline void copy_or_zero(float *d, const float *s, int n) {
  int k = 0;
  if (s) {
    for (; k + 4 <= n; k += 4) wasm_v128_store(d + k, wasm_v128_load(s + k));
    if (k + 2 <= n) wasm_v128_store64_lane(d + k, wasm_v128_load64_zero(s + k), 0), k += 2;
    if (k < n) d[k] = s[k];
  } else {
    for (; k + 4 <= n; k += 4) wasm_v128_store(d + k, wasm_f32x4_splat(0.0f));
    for (; k < n; k++) d[k] = 0.0f;
  }
}

/*
 * z[n][i][j][(2a + b)·C + c] = x[n][2i + a - PT][2j + b - PL][c] (0 outside x), for i < Hz,
 * j < Wz: a stride-2 convolution's input in space-to-depth form, where it is a stride-1 one.
 * z is written in order; each (a, b = 0, 1) is 2C floats in a row of x.
 */
EXPORT("space_to_depth")
void space_to_depth(const float *x, float *z, int N, int H, int W, int C, int Hz, int Wz, int PT, int PL) {
  for (int n = 0; n < N; n++)
    for (int i = 0; i < Hz; i++) {
      const float *rows[2];
      for (int a = 0; a < 2; a++) {
        const int h = 2 * i + a - PT;
        rows[a] = h >= 0 && h < H ? x + (n * H + h) * W * C : 0;
      }
      float *d = z + (n * Hz + i) * Wz * 4 * C;
      for (int j = 0; j < Wz; j++) {
        const int w = 2 * j - PL;
        for (int a = 0; a < 2; a++, d += 2 * C) {
          const float *row = rows[a];
          if (row && w >= 0 && w + 1 < W) {
            copy_or_zero(d, row + w * C, 2 * C);
          } else {
            copy_or_zero(d, row && w >= 0 && w < W ? row + w * C : 0, C);
            copy_or_zero(d + C, row && w + 1 >= 0 && w + 1 < W ? row + (w + 1) * C : 0, C);
          }
        }
      }
    }
}

/*
 * Between a KH x KW filter (KH, KW ≤ 8) w[kh][kw][c][o] and its space-to-depth form
 * ws[u][v][(2a + b)·C + c][o] = w[2u + a][2v + b][c][o] (4x4 taps, 0 past the filter):
 * to_s2d 1 fills ws from w, 0 fills w from ws.
 */
EXPORT("space_to_depth_filter")
void space_to_depth_filter(float *w, float *ws, int KH, int KW, int C, int O, int to_s2d) {
  for (int u = 0; u < 4; u++)
    for (int v = 0; v < 4; v++)
      for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
          const int kh = 2 * u + a, kw = 2 * v + b;
          float *s = ws + ((u * 4 + v) * 4 * C + (2 * a + b) * C) * O;
          const int inside = kh < KH && kw < KW;
          float *f = w + (kh * KW + kw) * C * O;
          for (int i = 0; i < C * O; i++) {
            if (to_s2d) s[i] = inside ? f[i] : 0.0f;
            else if (inside) f[i] = s[i];
          }
        }
}
