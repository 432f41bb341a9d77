/*
 * The filter gradient of an NHWC convolution for tfjs-backend-wasm's heap, with WASM SIMD,
 * as an implicit GEMM: dW[tap, c][o] = Σ over output positions of x[position + tap][c] · dy[o],
 * reading x through a zero-padded copy (no column matrix) and dy a chunk of positions at a
 * time, four filter rows by eight output channels per register block. Filter rows are
 * independent, so threads split them (simdPool.ts). Same rules as bmm.c: no state, no stack
 * frame, only the memory handed in.
 */
#include "block4x8.h"
#include "lanes.h"

#define EXPORT(name) __attribute__((export_name(name)))

typedef struct {
  int N, H, W, C;        /* input */
  int OH, OW, O;         /* output (dy) */
  int KH, KW;            /* filter taps */
  int SH, SW, DH, DW;    /* strides, dilations */
  int PT, PL;            /* padding before */
} geom;

static int ceil8(int n) { return (n + 7) & ~7; }

/* dst[r][n8] = src[r][n] (row stride n), zero-padded. */
static void pack_rows(const float *src, float *dst, int rows, int n, int n8) {
  for (int r = 0; r < rows; r++) {
    int j = 0;
    for (; j < n; j++) dst[r * n8 + j] = src[r * n + j];
    for (; j < n8; j++) dst[r * n8 + j] = 0.0f;
  }
}

/* Padded input extents for the filter gradient: every tap of every output lands inside. */
static int padded_h(const geom *g) {
  const int need = (g->OH - 1) * g->SH + (g->KH - 1) * g->DH + 1;
  const int h = g->PT + g->H;
  return need > h ? need : h;
}
static int padded_w(const geom *g) {
  const int need = (g->OW - 1) * g->SW + (g->KW - 1) * g->DW + 1;
  const int w = g->PL + g->W;
  return need > w ? need : w;
}

/* Floats of the zero-padded copy of x that conv_filter_grad_rows reads. */
EXPORT("conv_pad_floats")
int conv_pad_floats(int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL) {
  const geom g = {N, H, W, C, OH, OW, O, KH, KW, SH, SW, DH, DW, PT, PL};
  return N * padded_h(&g) * padded_w(&g) * C;
}

/* Floats of working memory one conv_filter_grad_rows call needs for `rows` filter rows. */
EXPORT("conv_work_floats")
int conv_work_floats(int rows, int O) { return rows * ceil8(O); }

/* xp = x zero-padded so that every tap of every output position lands inside. */
EXPORT("conv_pad_input")
void conv_pad_input(const float *x, float *xp, int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW, int SH, int SW,
                    int DH, int DW, int PT, int PL) {
  const geom g = {N, H, W, C, OH, OW, O, KH, KW, SH, SW, DH, DW, PT, PL};
  const int Hp = padded_h(&g), Wp = padded_w(&g);
  __builtin_memset(xp, 0, sizeof(float) * N * Hp * Wp * C);
  for (int n = 0; n < N; n++)
    for (int h = 0; h < H; h++)
      __builtin_memcpy(xp + ((n * Hp + h + PT) * Wp + PL) * C, x + (n * H + h) * W * C, sizeof(float) * W * C);
}

/* Where filter row r = (kh, kw, c) reads the padded input, relative to an output position's base. */
static int tap_offset(int r, int KW, int C, int DH, int DW, int Wp) {
  const int kh = r / (KW * C), kw = (r / C) % KW, c = r % C;
  return (kh * DH * Wp + kw * DW) * C + c;
}

/* Output positions per pass of the filter gradients (a chunk of whole images): x and dy stay in cache. */
#define TAPS_CHUNK 256

/*
 * R (1..4, constant when inlined) filter rows from row i by eight output channels j..j+8 of
 * conv_filter_grad_rows, accumulated into a0 (rows O8 apart) over images n0..n1.
 */
static inline __attribute__((always_inline)) void grad_rows_block(const float *xp, const float *dy, float *a0, int R, int i, int j, int n0, int n1,
                                                                  const geom *g, int O8, int Hp, int Wp) {
  const int N = g->N, C = g->C, OH = g->OH, OW = g->OW, O = g->O, KW = g->KW, SH = g->SH, SW = g->SW, DH = g->DH, DW = g->DW;
  const int o0 = tap_offset(i, KW, C, DH, DW, Wp);
  const int o1 = tap_offset(R > 1 ? i + 1 : i, KW, C, DH, DW, Wp);
  const int o2 = tap_offset(R > 2 ? i + 2 : i, KW, C, DH, DW, Wp);
  const int o3 = tap_offset(R > 3 ? i + 3 : i, KW, C, DH, DW, Wp);
  const int cols = O - j;
  LOADR_X8(a0 + j, O8, R);
#define ROWS_STEP(b0, b1) BLOCKR_X8_FMA(R, wasm_f32x4_splat(xr[o0]), wasm_f32x4_splat(xr[o1]), wasm_f32x4_splat(xr[o2]), wasm_f32x4_splat(xr[o3]), b0, b1)
  for (int n = n0; n < n1; n++) {
    for (int oh = 0; oh < OH; oh++) {
      const float *xr = xp + ((n * Hp + oh * SH) * Wp) * C;
      const float *dr = dy + (n * OH + oh) * OW * O + j;
      if (cols >= 8) {
        for (int ow = 0; ow < OW; ow++, xr += SW * C, dr += O) ROWS_STEP(wasm_v128_load(dr), wasm_v128_load(dr + 4));
      } else {
        /* Ragged columns: eight floats run into the next position's, which only fill
           lanes never stored; the very last position of dy loads only what it has. */
        const int whole = n == N - 1 && oh == OH - 1 ? OW - 1 : OW;
        int ow = 0;
        for (; ow < whole; ow++, xr += SW * C, dr += O) ROWS_STEP(wasm_v128_load(dr), wasm_v128_load(dr + 4));
        for (; ow < OW; ow++, xr += SW * C, dr += O) {
          v128_t b0, b1;
          LOAD8(dr, cols, b0, b1);
          ROWS_STEP(b0, b1);
        }
      }
    }
  }
#undef ROWS_STEP
  STORE4X8(a0 + j, O8, 8, R);
}

/*
 * Rows r0..r1 of dW[KH·KW·C][O] = Σ over every output position of x[position + tap][c] · dy[o],
 * reading x from its zero-padded copy xp (conv_pad_input) and dy in place (ragged last
 * columns by partial loads): any C and O, where conv_filter_grad_taps below needs C % 4 = 0
 * and O % 8 = 0. Four filter rows (any taps) by eight output channels per register block,
 * the last block only as many rows as are left (LeNet's first layer: 25 = 6·4 + 1, where
 * whole blocks computed 28), images in chunks. Row ranges are independent, so threads split
 * them, at any row. work: conv_work_floats(r1 - r0, O).
 */
EXPORT("conv_filter_grad_rows")
void conv_filter_grad_rows(const float *xp, const float *dy, float *dw, float *work, int r0, int r1,
                           int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                           int SH, int SW, int DH, int DW, int PT, int PL) {
  if (r0 >= r1) return;
  const geom g = {N, H, W, C, OH, OW, O, KH, KW, SH, SW, DH, DW, PT, PL};
  const int O8 = ceil8(O);
  const int Hp = padded_h(&g), Wp = padded_w(&g);
  float *acc = work; /* [r1 - r0][O8] */
  __builtin_memset(acc, 0, sizeof(float) * (r1 - r0) * O8);
  const int per_image = OH * OW;
  const int images = per_image >= TAPS_CHUNK ? 1 : TAPS_CHUNK / per_image;
  for (int n0 = 0; n0 < N; n0 += images) {
    const int n1 = n0 + images < N ? n0 + images : N;
    for (int i = r0; i < r1; i += 4) {
      const int cnt = r1 - i < 4 ? r1 - i : 4;
      float *a0 = acc + (i - r0) * O8;
      for (int j = 0; j < O8; j += 8) {
        if (cnt == 4) grad_rows_block(xp, dy, a0, 4, i, j, n0, n1, &g, O8, Hp, Wp);
        else if (cnt == 3) grad_rows_block(xp, dy, a0, 3, i, j, n0, n1, &g, O8, Hp, Wp);
        else if (cnt == 2) grad_rows_block(xp, dy, a0, 2, i, j, n0, n1, &g, O8, Hp, Wp);
        else grad_rows_block(xp, dy, a0, 1, i, j, n0, n1, &g, O8, Hp, Wp);
      }
    }
  }
  for (int i = r0; i < r1; i++)
    for (int o = 0; o < O; o++) dw[i * O + o] = acc[(i - r0) * O8 + o];
}

/* Where output position q (flattened n, oh, ow) starts reading the padded input. */
static const float *position_base(const float *xp, int q, int OH, int OW, int Hp, int Wp, int C, int SH, int SW) {
  const int n = q / (OH * OW), oh = (q / OW) % OH, ow = q % OW;
  return xp + ((n * Hp + oh * SH) * Wp + ow * SW) * C;
}

/* dst[K][O8] = w[K][O] zero-padded (a filter, or with K = 1 a bias), for conv_forward_rows. */
EXPORT("pack_filter")
void pack_filter(const float *w, float *dst, int K, int O) { pack_rows(w, dst, K, O, ceil8(O)); }

/*
 * out[q][o] = bias[o] + Σ_r xp[q + tap_r] · W[r][o] for output positions q0..q1 (flattened n,
 * oh, ow): a forward convolution as an implicit GEMM over the padded input xp
 * (conv_pad_input), four positions by eight output channels per register block. wpack and
 * bias8 come from pack_filter (bias8 may be 0). Position ranges are independent.
 */
EXPORT("conv_forward_rows")
void conv_forward_rows(const float *xp, const float *wpack, const float *bias8, float *out, int q0, int q1,
                       int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                       int SH, int SW, int DH, int DW, int PT, int PL) {
  const geom g = {N, H, W, C, OH, OW, O, KH, KW, SH, SW, DH, DW, PT, PL};
  const int O8 = ceil8(O);
  const int Hp = padded_h(&g), Wp = padded_w(&g);
  for (int q = q0; q < q1; q += 4) {
    const int cnt = q1 - q < 4 ? q1 - q : 4;
    /* Input bases of the block's positions (a short block repeats its first). */
    const float *x0 = position_base(xp, q, OH, OW, Hp, Wp, C, SH, SW);
    const float *x1 = position_base(xp, cnt > 1 ? q + 1 : q, OH, OW, Hp, Wp, C, SH, SW);
    const float *x2 = position_base(xp, cnt > 2 ? q + 2 : q, OH, OW, Hp, Wp, C, SH, SW);
    const float *x3 = position_base(xp, cnt > 3 ? q + 3 : q, OH, OW, Hp, Wp, C, SH, SW);
    for (int j = 0; j < O8; j += 8) {
      const v128_t i0 = bias8 ? wasm_v128_load(bias8 + j) : wasm_f32x4_splat(0);
      const v128_t i1 = bias8 ? wasm_v128_load(bias8 + j + 4) : wasm_f32x4_splat(0);
      v128_t c00 = i0, c01 = i1, c10 = i0, c11 = i1, c20 = i0, c21 = i1, c30 = i0, c31 = i1;
      const float *wr = wpack + j;
      for (int kh = 0; kh < KH; kh++) {
        for (int kw = 0; kw < KW; kw++) {
          const int off = (kh * DH * Wp + kw * DW) * C;
          for (int c = 0; c < C; c++, wr += O8) {
            const v128_t b0 = wasm_v128_load(wr);
            const v128_t b1 = wasm_v128_load(wr + 4);
            BLOCK4X8_FMA(wasm_f32x4_splat(x0[off + c]), wasm_f32x4_splat(x1[off + c]), wasm_f32x4_splat(x2[off + c]),
                         wasm_f32x4_splat(x3[off + c]), b0, b1);
          }
        }
      }
      const int cols = O - j;
      STORE4X8(out + q * O + j, O, cols, cnt);
    }
  }
}

/* p0..p3: the block's four images from `first`, `image` floats apart; a short block (cnt < 4) repeats its first. */
#define FOUR_IMAGES(p, first, image, cnt)                \
  const float *p##0 = (first);                          \
  const float *p##1 = (cnt) > 1 ? p##0 + (image) : p##0; \
  const float *p##2 = (cnt) > 2 ? p##0 + 2 * (image) : p##0; \
  const float *p##3 = (cnt) > 3 ? p##0 + 3 * (image) : p##0

/* [t0, t1): the filter taps along one axis that land inside the input (size) for output index o. */
#define VALID_TAPS(o, stride, dil, pad, size, k, t0, t1)                        \
  do {                                                                          \
    const int first = (o) * (stride) - (pad); /* input index of tap 0 */        \
    t0 = first >= 0 ? 0 : (-first + (dil) - 1) / (dil);                         \
    t1 = (size) - first <= 0 ? 0 : ((size) - first + (dil) - 1) / (dil);         \
    if (t1 > (k)) t1 = (k);                                                     \
  } while (0)

/*
 * out[n][oh][ow][o] = bias[o] + Σ over the taps that land inside x (no padded copy, no
 * multiplications by padding) of x[n][ih][iw][c] · W[kh][kw][c][o], for images n0..n1: the
 * register block is one output position in four images, which share their valid taps. At
 * the end of a ResNet on 32x32 images a 3x3 'same' convolution over a 2x2 map meets the
 * input with 4 of its 9 taps; the padded-copy kernel above multiplies all 9. A short last
 * block repeats its first image (not stored). wpack, bias8: as for conv_forward_rows. Image
 * ranges are independent, so threads split them.
 */
EXPORT("conv_forward_images")
void conv_forward_images(const float *x, const float *wpack, const float *bias8, float *out, int n0, int n1,
                         int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                         int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)N;
  const int O8 = ceil8(O);
  const int image = H * W * C;
  for (int n = n0; n < n1; n += 4) {
    const int cnt = n1 - n < 4 ? n1 - n : 4;
    FOUR_IMAGES(i, x + n * image, image, cnt);
    for (int oh = 0; oh < OH; oh++) {
      int kh0, kh1;
      VALID_TAPS(oh, SH, DH, PT, H, KH, kh0, kh1);
      for (int ow = 0; ow < OW; ow++) {
        int kw0, kw1;
        VALID_TAPS(ow, SW, DW, PL, W, KW, kw0, kw1);
        float *o0 = out + ((n * OH + oh) * OW + ow) * O;
        const int ostride = OH * OW * O;
        for (int j = 0; j < O8; j += 8) {
          const v128_t b0i = bias8 ? wasm_v128_load(bias8 + j) : wasm_f32x4_splat(0);
          const v128_t b1i = bias8 ? wasm_v128_load(bias8 + j + 4) : wasm_f32x4_splat(0);
          v128_t c00 = b0i, c01 = b1i, c10 = b0i, c11 = b1i, c20 = b0i, c21 = b1i, c30 = b0i, c31 = b1i;
          /* Undilated along the width, a row's valid taps and their channels are one run in x
             and in the packed filter (LeNet's first layer, C = 1: 5 runs of 5, not 25 loops of 1). */
          const int runs = DW == 1 ? 1 : kw1 - kw0;
          const int run = DW == 1 ? (kw1 - kw0) * C : C;
          for (int kh = kh0; kh < kh1; kh++) {
            const int ih = oh * SH + kh * DH - PT;
            for (int r = 0; r < runs; r++) {
              const int kw = kw0 + r;
              const int off = (ih * W + ow * SW + kw * DW - PL) * C;
              const float *wr = wpack + (kh * KW + kw) * C * O8 + j;
              const float *a0 = i0 + off, *a1 = i1 + off, *a2 = i2 + off, *a3 = i3 + off;
              for (int t = 0; t < run; t++, wr += O8) {
                const v128_t b0 = wasm_v128_load(wr);
                const v128_t b1 = wasm_v128_load(wr + 4);
                BLOCK4X8_FMA(wasm_f32x4_splat(a0[t]), wasm_f32x4_splat(a1[t]), wasm_f32x4_splat(a2[t]), wasm_f32x4_splat(a3[t]), b0, b1);
              }
            }
          }
          const int cols = O - j;
          STORE4X8(o0 + j, ostride, cols, cnt);
        }
      }
    }
  }
}

/* Stores the first `cnt` (1..4) positions' channels 0-3 of the transposed block t0..t3, `6` floats apart from o. */
#define STORE_C0123(o, cnt, t0, t1, t2, t3) \
  do {                                       \
    wasm_v128_store((o), (t0));              \
    if ((cnt) > 1) wasm_v128_store((o) + 6, (t1));  \
    if ((cnt) > 2) wasm_v128_store((o) + 12, (t2)); \
    if ((cnt) > 3) wasm_v128_store((o) + 18, (t3)); \
  } while (0)

/* Stores channels 4-5 of the first `cnt` (1..4) positions from e (channel 4) and f (channel 5), 6 floats apart from o + 4. */
#define STORE_C45(o, cnt, e, f)                                                                \
  do {                                                                                         \
    const v128_t lo = wasm_i32x4_shuffle((e), (f), 0, 4, 1, 5), hi = wasm_i32x4_shuffle((e), (f), 2, 6, 3, 7); \
    wasm_v128_store64_lane((o) + 4, lo, 0);                                                    \
    if ((cnt) > 1) wasm_v128_store64_lane((o) + 10, lo, 1);                                    \
    if ((cnt) > 2) wasm_v128_store64_lane((o) + 16, hi, 0);                                    \
    if ((cnt) > 3) wasm_v128_store64_lane((o) + 22, hi, 1);                                    \
  } while (0)

/* The padded copy conv_forward_c1o6 reads: rows long enough for blocks of 16 positions. */
EXPORT("conv_c1o6_pad_floats")
int conv_c1o6_pad_floats(int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)C, (void)O;
  const geom g = {N, H, W, 1, OH, (OW + 15) & ~15, 6, KH, KW, SH, SW, DH, DW, PT, PL};
  return N * padded_h(&g) * padded_w(&g);
}

/* xp = x zero-padded as conv_forward_c1o6 reads it (conv_pad_input's copy, rows as long as blocks of 16 positions need). */
EXPORT("conv_c1o6_pad")
void conv_c1o6_pad(const float *x, float *xp, int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW, int SH, int SW, int DH, int DW, int PT, int PL) {
  conv_pad_input(x, xp, N, H, W, C, OH, (OW + 15) & ~15, O, KH, KW, SH, SW, DH, DW, PT, PL);
}

/*
 * Channels 0-3 of 4·V positions (V = 1 or 2) of one output row of conv_forward_c1o6: lanes
 * along positions, a<c> for positions 0-3 and p<c> for 4-7. Inlined with V constant.
 */
static inline __attribute__((always_inline)) void c1o6_c0123(const float *rows, const float *w, float *o, int cnt, int V, int KH, int KW, int DH, int DW, int Wp,
                                                             v128_t b0, v128_t b1, v128_t b2, v128_t b3) {
  v128_t a0 = b0, a1 = b1, a2 = b2, a3 = b3, p0 = b0, p1 = b1, p2 = b2, p3 = b3;
  const float *wt = w;
  for (int kh = 0; kh < KH; kh++) {
    const float *xr = rows + kh * DH * Wp;
    for (int kw = 0; kw < KW; kw++, wt += 6) {
      const v128_t x0 = wasm_v128_load(xr + kw * DW);
      const v128_t x1 = V > 1 ? wasm_v128_load(xr + kw * DW + 4) : x0;
      v128_t v = wasm_v128_load32_splat(wt);
      a0 = wasm_f32x4_add(a0, wasm_f32x4_mul(x0, v));
      if (V > 1) p0 = wasm_f32x4_add(p0, wasm_f32x4_mul(x1, v));
      v = wasm_v128_load32_splat(wt + 1);
      a1 = wasm_f32x4_add(a1, wasm_f32x4_mul(x0, v));
      if (V > 1) p1 = wasm_f32x4_add(p1, wasm_f32x4_mul(x1, v));
      v = wasm_v128_load32_splat(wt + 2);
      a2 = wasm_f32x4_add(a2, wasm_f32x4_mul(x0, v));
      if (V > 1) p2 = wasm_f32x4_add(p2, wasm_f32x4_mul(x1, v));
      v = wasm_v128_load32_splat(wt + 3);
      a3 = wasm_f32x4_add(a3, wasm_f32x4_mul(x0, v));
      if (V > 1) p3 = wasm_f32x4_add(p3, wasm_f32x4_mul(x1, v));
    }
  }
  v128_t t0, t1, t2, t3;
  TRANSPOSE4(a0, a1, a2, a3, t0, t1, t2, t3);
  STORE_C0123(o, cnt, t0, t1, t2, t3);
  if (V > 1 && cnt > 4) {
    TRANSPOSE4(p0, p1, p2, p3, t0, t1, t2, t3);
    STORE_C0123(o + 24, cnt - 4, t0, t1, t2, t3);
  }
}

/* Channels 4-5 of 4·V positions (V = 1..4) of one output row: e<i> channel 4, f<i> channel 5, four positions each. */
static inline __attribute__((always_inline)) void c1o6_c45(const float *rows, const float *w, float *o, int cnt, int V, int KH, int KW, int DH, int DW, int Wp,
                                                           v128_t b4, v128_t b5) {
  v128_t e0 = b4, e1 = b4, e2 = b4, e3 = b4, f0 = b5, f1 = b5, f2 = b5, f3 = b5;
  const float *wt = w + 4;
  for (int kh = 0; kh < KH; kh++) {
    const float *xr = rows + kh * DH * Wp;
    for (int kw = 0; kw < KW; kw++, wt += 6) {
      const float *xk = xr + kw * DW;
      const v128_t v4 = wasm_v128_load32_splat(wt), v5 = wasm_v128_load32_splat(wt + 1);
      v128_t x = wasm_v128_load(xk);
      e0 = wasm_f32x4_add(e0, wasm_f32x4_mul(x, v4)), f0 = wasm_f32x4_add(f0, wasm_f32x4_mul(x, v5));
      if (V > 1) {
        x = wasm_v128_load(xk + 4);
        e1 = wasm_f32x4_add(e1, wasm_f32x4_mul(x, v4)), f1 = wasm_f32x4_add(f1, wasm_f32x4_mul(x, v5));
      }
      if (V > 2) {
        x = wasm_v128_load(xk + 8);
        e2 = wasm_f32x4_add(e2, wasm_f32x4_mul(x, v4)), f2 = wasm_f32x4_add(f2, wasm_f32x4_mul(x, v5));
      }
      if (V > 3) {
        x = wasm_v128_load(xk + 12);
        e3 = wasm_f32x4_add(e3, wasm_f32x4_mul(x, v4)), f3 = wasm_f32x4_add(f3, wasm_f32x4_mul(x, v5));
      }
    }
  }
  STORE_C45(o, cnt, e0, f0);
  if (V > 1 && cnt > 4) STORE_C45(o + 24, cnt - 4, e1, f1);
  if (V > 2 && cnt > 8) STORE_C45(o + 48, cnt - 8, e2, f2);
  if (V > 3 && cnt > 12) STORE_C45(o + 72, cnt - 12, e3, f3);
}

/*
 * A forward convolution of a one-channel input into six channels (LeNet's first layer on
 * grayscale images), images n0..n1, unit stride along the width: lanes along output
 * positions of a row, so that no lane is idle (channels as lanes: 6 of 8). Two passes per
 * row, each with eight accumulators and six loads per eight vector multiply-adds (loads, not
 * arithmetic, bound these loops: one filter value per channel and vector costs a load):
 * channels 0-3 over blocks of 8 positions, then channels 4-5 over blocks of 16. A row's last
 * block is as narrow as the positions left, in whole vectors (28 = 3·8 + 4 and 16 + 12, where
 * full blocks computed 32). xp from conv_c1o6_pad; w the filter as given ([KH][KW][1][6]);
 * bias may be 0.
 */
EXPORT("conv_forward_c1o6")
void conv_forward_c1o6(const float *xp, const float *w, const float *bias, float *out, int n0, int n1,
                       int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                       int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)C, (void)O;
  const geom g = {N, H, W, 1, OH, (OW + 15) & ~15, 6, KH, KW, SH, SW, DH, DW, PT, PL};
  const int Hp = padded_h(&g), Wp = padded_w(&g);
  const v128_t zero = wasm_f32x4_splat(0);
  const v128_t b0 = bias ? wasm_v128_load32_splat(bias) : zero, b1 = bias ? wasm_v128_load32_splat(bias + 1) : zero;
  const v128_t b2 = bias ? wasm_v128_load32_splat(bias + 2) : zero, b3 = bias ? wasm_v128_load32_splat(bias + 3) : zero;
  const v128_t b4 = bias ? wasm_v128_load32_splat(bias + 4) : zero, b5 = bias ? wasm_v128_load32_splat(bias + 5) : zero;
  for (int n = n0; n < n1; n++) {
    for (int oh = 0; oh < OH; oh++) {
      const float *rows = xp + (n * Hp + oh * SH) * Wp;
      float *orow = out + (n * OH + oh) * OW * 6;
      int ow = 0;
      for (; OW - ow > 4; ow += 8) c1o6_c0123(rows + ow, w, orow + ow * 6, OW - ow, 2, KH, KW, DH, DW, Wp, b0, b1, b2, b3);
      if (ow < OW) c1o6_c0123(rows + ow, w, orow + ow * 6, OW - ow, 1, KH, KW, DH, DW, Wp, b0, b1, b2, b3);
      for (ow = 0; OW - ow > 12; ow += 16) c1o6_c45(rows + ow, w, orow + ow * 6, OW - ow, 4, KH, KW, DH, DW, Wp, b4, b5);
      const int left = OW - ow;
      if (left > 8) c1o6_c45(rows + ow, w, orow + ow * 6, left, 3, KH, KW, DH, DW, Wp, b4, b5);
      else if (left > 4) c1o6_c45(rows + ow, w, orow + ow * 6, left, 2, KH, KW, DH, DW, Wp, b4, b5);
      else if (left > 0) c1o6_c45(rows + ow, w, orow + ow * 6, left, 1, KH, KW, DH, DW, Wp, b4, b5);
    }
  }
}

/* [o0, o1): the outputs along one axis whose tap t lands inside the input (size); out of `out`. */
#define TAP_OUTPUTS(t, stride, dil, pad, size, out, o0, o1)                     \
  do {                                                                          \
    const int lo = (pad) - (t) * (dil);      /* o·stride must reach this */     \
    const int hi = (size) - 1 + lo;          /* ... and not pass this */         \
    o0 = lo > 0 ? (lo + (stride) - 1) / (stride) : 0;                           \
    o1 = hi < 0 ? 0 : hi / (stride) + 1;                                        \
    if (o1 > (out)) o1 = (out);                                                 \
  } while (0)

/*
 * Rows r0..r1 of dW[kh][kw][c][o] = Σ over the outputs where tap (kh, kw) lands inside x of
 * x[n][ih][iw][c] · dy[n][oh][ow][o], reading x and dy in place (no padded copy, no products
 * with padding). For C a multiple of 4 and O a multiple of 8: a register block is four
 * channels of one tap (they share their outputs) by eight output channels. r0, r1 multiples
 * of 4; row ranges are independent, so threads split them; written straight into dw.
 */
EXPORT("conv_filter_grad_taps")
void conv_filter_grad_taps(const float *x, const float *dy, float *dw, int r0, int r1,
                           int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                           int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)KH;
  __builtin_memset(dw + r0 * O, 0, sizeof(float) * (r1 - r0) * O);
  const int per_image = OH * OW;
  const int images = per_image >= TAPS_CHUNK ? 1 : TAPS_CHUNK / per_image;
  for (int n0 = 0; n0 < N; n0 += images) {
    const int n1 = n0 + images < N ? n0 + images : N;
    for (int r = r0; r < r1; r += 4) {
      const int kh = r / (KW * C), kw = (r / C) % KW, c = r % C;
      int oh0, oh1, ow0, ow1;
      TAP_OUTPUTS(kh, SH, DH, PT, H, OH, oh0, oh1);
      TAP_OUTPUTS(kw, SW, DW, PL, W, OW, ow0, ow1);
      if (oh1 <= oh0 || ow1 <= ow0) continue;
      for (int j = 0; j < O; j += 8) {
        float *d0 = dw + r * O + j;
        v128_t c00 = wasm_v128_load(d0), c01 = wasm_v128_load(d0 + 4);
        v128_t c10 = wasm_v128_load(d0 + O), c11 = wasm_v128_load(d0 + O + 4);
        v128_t c20 = wasm_v128_load(d0 + 2 * O), c21 = wasm_v128_load(d0 + 2 * O + 4);
        v128_t c30 = wasm_v128_load(d0 + 3 * O), c31 = wasm_v128_load(d0 + 3 * O + 4);
#define TAP_STEP(xr, dr)                                                                                                   \
  do {                                                                                                                     \
    const v128_t b0 = wasm_v128_load(dr);                                                                                  \
    const v128_t b1 = wasm_v128_load((dr) + 4);                                                                            \
    BLOCK4X8_FMA(wasm_f32x4_splat((xr)[0]), wasm_f32x4_splat((xr)[1]), wasm_f32x4_splat((xr)[2]), wasm_f32x4_splat((xr)[3]), b0, b1); \
  } while (0)
        if ((oh1 - oh0) * (ow1 - ow0) >= n1 - n0) {
          /* Many outputs per image: along each output row. */
          for (int n = n0; n < n1; n++) {
            for (int oh = oh0; oh < oh1; oh++) {
              const float *xr = x + ((n * H + oh * SH + kh * DH - PT) * W + ow0 * SW + kw * DW - PL) * C + c;
              const float *dr = dy + ((n * OH + oh) * OW + ow0) * O + j;
              for (int ow = ow0; ow < ow1; ow++, xr += SW * C, dr += O) TAP_STEP(xr, dr);
            }
          }
        } else {
          /* Few outputs per image (a 2x2 map meets a tap at 1 to 4): along the images instead. */
          for (int oh = oh0; oh < oh1; oh++) {
            for (int ow = ow0; ow < ow1; ow++) {
              const float *xr = x + ((n0 * H + oh * SH + kh * DH - PT) * W + ow * SW + kw * DW - PL) * C + c;
              const float *dr = dy + ((n0 * OH + oh) * OW + ow) * O + j;
              for (int n = n0; n < n1; n++, xr += H * W * C, dr += OH * OW * O) TAP_STEP(xr, dr);
            }
          }
        }
#undef TAP_STEP
        wasm_v128_store(d0, c00), wasm_v128_store(d0 + 4, c01);
        wasm_v128_store(d0 + O, c10), wasm_v128_store(d0 + O + 4, c11);
        wasm_v128_store(d0 + 2 * O, c20), wasm_v128_store(d0 + 2 * O + 4, c21);
        wasm_v128_store(d0 + 3 * O, c30), wasm_v128_store(d0 + 3 * O + 4, c31);
      }
    }
  }
}

/*
 * The input gradient of a strided convolution, gathered: dx[n][ih][iw][c] = Σ over the taps
 * (kh, kw) that some output (oh, ow) reads ih, iw with (ih + PT - kh·DH = oh·SH, likewise
 * for w) of Σ_o dy[n][oh][ow][o] · W[kh][kw][c][o], for images n0..n1, four images by eight
 * input channels per register block (a 3x3 stride-2 filter meets each input with 2.25 taps
 * on average; col2im would compute all 9 and scatter). wt: W as [kh][kw][o][roundup(C, 8)]
 * (pack_filter_transposed). A short last block repeats its first image (not stored).
 */
EXPORT("conv_input_grad_images")
void conv_input_grad_images(const float *dy, const float *wt, float *dx, int n0, int n1,
                            int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                            int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)N;
  const int C8 = ceil8(C);
  const int image = OH * OW * O;
  for (int n = n0; n < n1; n += 4) {
    const int cnt = n1 - n < 4 ? n1 - n : 4;
    FOUR_IMAGES(d, dy + n * image, image, cnt);
    for (int ih = 0; ih < H; ih++) {
      for (int iw = 0; iw < W; iw++) {
        float *x0 = dx + ((n * H + ih) * W + iw) * C;
        const int xstride = H * W * C;
        for (int j = 0; j < C8; j += 8) {
          v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
          for (int kh = 0; kh < KH; kh++) {
            const int th = ih + PT - kh * DH;
            if (th < 0 || th % SH != 0 || th / SH >= OH) continue;
            for (int kw = 0; kw < KW; kw++) {
              const int tw = iw + PL - kw * DW;
              if (tw < 0 || tw % SW != 0 || tw / SW >= OW) continue;
              const int off = ((th / SH) * OW + tw / SW) * O;
              const float *wr = wt + (kh * KW + kw) * O * C8 + j;
              for (int o = 0; o < O; o++, wr += C8) {
                const v128_t b0 = wasm_v128_load(wr);
                const v128_t b1 = wasm_v128_load(wr + 4);
                BLOCK4X8_FMA(wasm_f32x4_splat(d0[off + o]), wasm_f32x4_splat(d1[off + o]), wasm_f32x4_splat(d2[off + o]), wasm_f32x4_splat(d3[off + o]), b0, b1);
              }
            }
          }
          const int cols = C - j;
          STORE4X8(x0 + j, xstride, cols, cnt);
        }
      }
    }
  }
}

/* dst[kh][kw][o][C8] = w[kh][kw][c][o], zero-padded to C8 = roundup(C, 8) (for conv_input_grad_images; conv_input_grad_scatter's rows with taps = KH, C = KW·C). */
EXPORT("pack_filter_transposed")
void pack_filter_transposed(const float *w, float *dst, int taps, int C, int O) {
  const int C8 = ceil8(C);
  for (int t = 0; t < taps; t++)
    for (int o = 0; o < O; o++) {
      float *row = dst + (t * O + o) * C8;
      int c = 0;
      for (; c < C; c++) row[c] = w[(t * C + c) * O + o];
      for (; c < C8; c++) row[c] = 0.0f;
    }
}

/* dst[kh][kw][o][c] = w[KH-1-kh][KW-1-kw][c][o]: the filter of a unit-stride input gradient taken as a forward convolution of dy. */
EXPORT("flip_filter")
void flip_filter(const float *w, float *dst, int KH, int KW, int C, int O) {
  for (int t = 0; t < KH * KW; t++) {
    const float *src = w + (KH * KW - 1 - t) * C * O; /* (KH-1-kh, KW-1-kw) is tap KH·KW-1-t */
    float *d = dst + t * O * C;
    if (C % 4 == 0 && O % 4 == 0) {
      /* 4x4 blocks transposed in registers: element by element, the stores O·4 bytes apart
         (512 at 128 channels) fell into a few cache sets, 0.35 ms for a 3x3x128x128 filter. */
      for (int c = 0; c < C; c += 4)
        for (int o = 0; o < O; o += 4) {
          const float *s = src + c * O + o;
          const v128_t r0 = wasm_v128_load(s), r1 = wasm_v128_load(s + O), r2 = wasm_v128_load(s + 2 * O), r3 = wasm_v128_load(s + 3 * O);
          const v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5);
          const v128_t t2 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          float *q = d + o * C + c;
          wasm_v128_store(q, wasm_i64x2_shuffle(t0, t1, 0, 2));
          wasm_v128_store(q + C, wasm_i64x2_shuffle(t0, t1, 1, 3));
          wasm_v128_store(q + 2 * C, wasm_i64x2_shuffle(t2, t3, 0, 2));
          wasm_v128_store(q + 3 * C, wasm_i64x2_shuffle(t2, t3, 1, 3));
        }
    } else {
      for (int c = 0; c < C; c++)
        for (int o = 0; o < O; o++) d[o * C + c] = src[c * O + o];
    }
  }
}

/* p[0..cols) += lo, hi (cols 1..8). */
static inline void add8(float *p, v128_t lo, v128_t hi, int cols) {
  if (cols >= 8) {
    wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), lo));
    wasm_v128_store(p + 4, wasm_f32x4_add(wasm_v128_load(p + 4), hi));
    return;
  }
  if (cols >= 4) {
    wasm_v128_store(p, wasm_f32x4_add(wasm_v128_load(p), lo));
    lo = hi, p += 4, cols -= 4;
  }
  if (cols >= 2) {
    wasm_v128_store64_lane(p, wasm_f32x4_add(wasm_v128_load64_zero(p), lo), 0);
    lo = wasm_i64x2_shuffle(lo, lo, 1, 1), p += 2, cols -= 2;
  }
  if (cols >= 1) p[0] += wasm_f32x4_extract_lane(lo, 0);
}

/*
 * The input gradient of a unit-stride, unpadded convolution, scattered: each dy position
 * (oh, ow) of four images adds Σ_o dy[o] · W[kh][kw][c][o] to dx row oh + kh, whose KW·C
 * floats from column ow are contiguous (NHWC). Per dx row and column ow, the sums over every
 * filter row kh (dy row r - kh) before one read-modify-write of dx (per dy row and kh, the
 * read-modify-writes took 7% longer: LeNet's 2.39 → 2.21 ms warm). Where C is not a multiple of 8 (LeNet's 6) the
 * gathered form's 8-wide blocks of channels leave lanes idle; these blocks run along the
 * row's KW·C floats instead (30 in 32). wt: W as [kh][o][roundup(KW·C, 8)] (pack_filter_transposed
 * with KH taps of KW·C rows each).
 * Images n0..n1, each block's cleared first; a short last block repeats its first image (not stored).
 */
EXPORT("conv_input_grad_scatter")
void conv_input_grad_scatter(const float *dy, const float *wt, float *dx, int n0, int n1,
                             int N, int H, int W, int C, int OH, int OW, int O, int KH, int KW,
                             int SH, int SW, int DH, int DW, int PT, int PL) {
  (void)N, (void)SH, (void)SW, (void)DH, (void)DW, (void)PT, (void)PL;
  const int seg = KW * C, seg8 = ceil8(seg);
  const int image = OH * OW * O, ximage = H * W * C;
  for (int n = n0; n < n1; n += 4) {
    const int cnt = n1 - n < 4 ? n1 - n : 4;
    /* Cleared a block at a time, so that the sums land in cache. */
    __builtin_memset(dx + n * ximage, 0, sizeof(float) * cnt * ximage);
    FOUR_IMAGES(d, dy + n * image, image, cnt);
    /* dx row r sums filter row kh of dy row r - kh: all of them before its one read-modify-write. */
    for (int r = 0; r < H; r++) {
      const int kh0 = r - OH + 1 > 0 ? r - OH + 1 : 0, kh1 = r + 1 < KH ? r + 1 : KH;
      for (int ow = 0; ow < OW; ow++) {
        float *x0 = dx + ((n * H + r) * W + ow) * C;
        for (int j = 0; j < seg; j += 8) {
          v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
          for (int kh = kh0; kh < kh1; kh++) {
            const int off = ((r - kh) * OW + ow) * O;
            const float *wr = wt + kh * O * seg8 + j;
            for (int o = 0; o < O; o++, wr += seg8) {
              const v128_t b0 = wasm_v128_load(wr);
              const v128_t b1 = wasm_v128_load(wr + 4);
              BLOCK4X8_FMA(wasm_f32x4_splat(d0[off + o]), wasm_f32x4_splat(d1[off + o]), wasm_f32x4_splat(d2[off + o]), wasm_f32x4_splat(d3[off + o]), b0, b1);
            }
          }
          const int cols = seg - j < 8 ? seg - j : 8;
          add8(x0 + j, c00, c01, cols);
          if (cnt > 1) add8(x0 + ximage + j, c10, c11, cols);
          if (cnt > 2) add8(x0 + 2 * ximage + j, c20, c21, cols);
          if (cnt > 3) add8(x0 + 3 * ximage + j, c30, c31, cols);
        }
      }
    }
  }
}
