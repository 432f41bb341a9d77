/*
 * The forward pass of 5x5 convolutions with unit stride over C >= 4 input channels into O (a
 * multiple of 8) outputs by F(4, 5) along rows (rows45.h; LeNet's second layer: 6 → 16
 * channels over 14x14 maps). A tile is one image's 4-output row segment: output row oh,
 * columns 4s..4s+3. Each of the 8 points f is then one matrix product, M_f = X_f · U_f over
 * the tiles, where X_f's row for a tile is Bᵀ' of the 8-input segments under it in input rows
 * oh..oh+4, all C channels (5·C floats, contiguous in X's layout [f][n][s][r][c], so rows of
 * neighbouring tiles overlap), and U_f = G' w ([5·C][O], filter row by channel). Aᵀ then makes
 * each tile's outputs. 8 products per 4 outputs where the direct kernel takes 20, over a
 * contraction of 5·C (30 for LeNet's 6 channels) that keeps the 4x8 register block busy.
 * Images `chunk` at a time, so that X and M stay in cache; threads split the images. Same
 * rules as conv.c: no state, no stack frame, only the memory handed in.
 */
#include "rows45.h"
#include "winograd.h"

/* Floats of scratch one call of rows45c_forward needs for `chunk` images a pass: X, then M. */
EXPORT("rows45c_scratch_floats")
int rows45c_scratch_floats(int chunk, int C, int OH, int OW, int O) {
  const int S = rows45_segments(OW);
  return 8 * chunk * S * (OH + 4) * C + 8 * chunk * S * OH * O;
}

/* U[f][kh·C + c][o] = G' w[kh][·][c][o] (w as [5][5][C][O], O a multiple of 4). */
EXPORT("rows45c_filter")
void rows45c_filter(const float *w, float *U, int C, int O) {
  const int tap = C * O, fs = 5 * C * O; /* from one filter column's w, and one point's U, to the next */
  for (int kh = 0; kh < 5; kh++)
    for (int c = 0; c < C; c++)
      for (int o = 0; o < O; o += 4) {
        const float *k = w + (kh * 5 * C + c) * O + o;
        ROWS45_G_STORE(wasm_v128_load(k), wasm_v128_load(k + tap), wasm_v128_load(k + 2 * tap), wasm_v128_load(k + 3 * tap),
                       wasm_v128_load(k + 4 * tap), U + (kh * C + c) * O + o, fs);
      }
}

/*
 * X[f][n][s][r][c] = Bᵀ' of the 8 inputs from column 4s - PL of input row r - PT (zero outside)
 * of images 0..cn of x, for padded rows r < R; fs floats from one point to the next. Channels
 * four at a time, the last four overlapping the ones before when C % 4 != 0.
 */
static void transform_x(const float *x, float *X, int fs, int cn, int H, int W, int C, int S, int R, int PT, int PL) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int n = 0; n < cn; n++)
    for (int s = 0; s < S; s++)
      for (int r = 0; r < R; r++) {
        const int ih = r - PT, iw = 4 * s - PL;
        float *q = X + ((n * S + s) * R + r) * C;
        for (int c0 = 0; c0 < C; c0 += 4) {
          const int c = c0 + 4 <= C ? c0 : C - 4;
          if (ih < 0 || ih >= H) {
            ROWS45_STORE8(q + c, fs, zero, zero, zero, zero, zero, zero, zero, zero);
            continue;
          }
          const float *p = x + ((n * H + ih) * W + iw) * C + c;
#define IN(i) (iw + (i) >= 0 && iw + (i) < W ? wasm_v128_load(p + (i) * C) : zero)
          ROWS45_BT_STORE(IN(0), IN(1), IN(2), IN(3), IN(4), IN(5), IN(6), IN(7), q + c, fs);
#undef IN
        }
      }
}

/*
 * M_f[t] = X_f[row of t] · U_f for each point f and tile t < tiles (t = (n·S + s)·OH + oh; its
 * row is the 5·C floats from X_f + ((n·S + s)·R + oh)·C): four tiles by eight outputs a block.
 */
static void products(const float *X, int fs, const float *U, float *M, int ms, int tiles, int C, int O, int OH, int R) {
  const int K = 5 * C;
  for (int f = 0; f < 8; f++) {
    const float *xf = X + f * fs, *uf = U + f * K * O;
    float *mf = M + f * ms;
    for (int t = 0; t < tiles; t += 4) {
      const int cnt = tiles - t < 4 ? tiles - t : 4;
      const float *a0 = xf + ((t / OH) * R + t % OH) * C;
      const float *a1 = cnt > 1 ? xf + (((t + 1) / OH) * R + (t + 1) % OH) * C : a0;
      const float *a2 = cnt > 2 ? xf + (((t + 2) / OH) * R + (t + 2) % OH) * C : a0;
      const float *a3 = cnt > 3 ? xf + (((t + 3) / OH) * R + (t + 3) % OH) * C : a0;
      for (int j = 0; j < O; j += 8) product4x8(a0, a1, a2, a3, uf + j, O, K, mf + t * O + j, O, cnt);
    }
  }
}

/* The outputs of tiles 0..tiles (images from out) from M: Aᵀ over each tile's 8 points, four channels at a time, plus the bias. */
static void transform_out(const float *M, int ms, const float *bias, float *out, int tiles, int S, int OH, int OW, int O) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int t = 0; t < tiles; t++) {
    const int n = t / (S * OH), s = (t / OH) % S, oh = t % OH;
    const int cols = OW - 4 * s < 4 ? OW - 4 * s : 4;
    float *q = out + ((n * OH + oh) * OW + 4 * s) * O;
    for (int o = 0; o < O; o += 4) {
      const float *m = M + t * O + o;
      const v128_t b = bias ? wasm_v128_load(bias + o) : zero;
      v128_t y0, y1, y2, y3;
      ROWS45_AT(wasm_v128_load(m), wasm_v128_load(m + ms), wasm_v128_load(m + 2 * ms), wasm_v128_load(m + 3 * ms), wasm_v128_load(m + 4 * ms),
                wasm_v128_load(m + 5 * ms), wasm_v128_load(m + 6 * ms), wasm_v128_load(m + 7 * ms), b, y0, y1, y2, y3);
      wasm_v128_store(q + o, y0);
      if (cols > 1) wasm_v128_store(q + O + o, y1);
      if (cols > 2) wasm_v128_store(q + 2 * O + o, y2);
      if (cols > 3) wasm_v128_store(q + 3 * O + o, y3);
    }
  }
}

/*
 * out ([N, OH, OW, O]) for images n0..n1 of x ([N, H, W, C]) convolved with the filter U
 * (rows45c_filter's) plus bias (O floats, or 0), padded by PT rows and PL columns; `chunk`
 * images a pass through scratch (rows45c_scratch_floats).
 */
EXPORT("rows45c_forward")
void rows45c_forward(const float *x, const float *U, const float *bias, float *out, float *scratch, int n0, int n1, int chunk,
                     int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  const int S = rows45_segments(OW), R = OH + 4;
  const int fs = chunk * S * R * C, ms = chunk * S * OH * O;
  float *X = scratch, *M = X + 8 * fs;
  for (int n = n0; n < n1; n += chunk) {
    const int cn = n1 - n < chunk ? n1 - n : chunk, tiles = cn * S * OH;
    transform_x(x + n * H * W * C, X, fs, cn, H, W, C, S, R, PT, PL);
    products(X, fs, U, M, ms, tiles, C, O, OH, R);
    transform_out(M, ms, bias, out + n * OH * OW * O, tiles, S, OH, OW, O);
  }
}
