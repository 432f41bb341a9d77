/*
 * 3x3 convolutions with unit stride and no dilation by Winograd's F(4x4, 3x3): a 4x4 block of
 * outputs is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A of the 6x6 input patch d under it, 36 multiplications
 * per (input, output) channel pair where a direct convolution takes 144 (Lavin & Gray, "Fast
 * Algorithms for Convolutional Neural Networks", 2015; F(2x2, 3x3), 64 multiplications, was
 * slower here on every ResNet-18 shape). The matrices, from interpolation points 0, ±1, ±2, ∞:
 *
 *   Bᵀ = [4  0 -5  0  1  0]    G = [ 1/4     0     0]    Aᵀ = [1  1  1  1  1  0]
 *        [0 -4 -4  1  1  0]        [-1/6  -1/6  -1/6]         [0  1 -1  2 -2  0]
 *        [0  4 -4 -1  1  0]        [-1/6   1/6  -1/6]         [0  1  1  4  4  0]
 *        [0 -2 -1  2  1  0]        [1/24  1/12   1/6]         [0  1 -1  8 -8  1]
 *        [0  2 -1 -2  1  0]        [1/24 -1/12   1/6]
 *        [0  4  0 -5  0  1]        [   0     0     1]
 *
 * Summed over input channels, the 36 elementwise products become 36 matrix products
 * [tiles x C]·[C x O]. Tiles are taken a chunk at a time so that the transformed inputs V and
 * products M stay in cache: transform the chunk's inputs, multiply, transform back into the
 * output. The transforms run along columns into a small scratch, then along rows. Channels
 * run in the lanes (C and O multiples of 4). Same rules as conv.c: no state, no stack frame,
 * only the memory handed in.
 */
#include "winograd.h"

/*
 * u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [3][3][C][O]), f = 6i + j,
 * the 36 matrices u_stride(C, O8) floats apart, for input channels c0 <= c < c1 (threads
 * split them; scratch unused); columns O..O8 are 0. O a multiple of 4.
 */
EXPORT("winograd_filter")
void winograd_filter(const float *w, float *u, float *scratch, int C, int O, int c0, int c1) {
  (void)scratch;
  const int O8 = ceil8(O), fs = u_stride(C, O8);
  const v128_t zero = wasm_f32x4_splat(0);
  const v128_t quarter = wasm_f32x4_splat(0.25f), sixth = wasm_f32x4_splat(1.0f / 6.0f);
  const v128_t twelfth = wasm_f32x4_splat(1.0f / 12.0f), ttf = wasm_f32x4_splat(1.0f / 24.0f);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O8; o += 4) {
      float *d = u + c * O8 + o;
      if (o >= O) {
        for (int f = 0; f < 36; f++) wasm_v128_store(d + f * fs, zero);
        continue;
      }
#define W(kh, kw) wasm_v128_load(w + (((kh) * 3 + (kw)) * C + c) * O + o)
      /* G·(a, b, c): (a/4, -(a+b+c)/6, -(a-b+c)/6, a/24 + b/12 + c/6, a/24 - b/12 + c/6, c). */
#define G6(a, b, cc, y0, y1, y2, y3, y4, y5)                                                   \
  do {                                                                                         \
    const v128_t sac = wasm_f32x4_add((a), (cc));                                              \
    const v128_t e = wasm_f32x4_add(wasm_f32x4_mul(ttf, (a)), wasm_f32x4_mul(sixth, (cc)));    \
    const v128_t bb = wasm_f32x4_mul(twelfth, (b));                                            \
    y0 = wasm_f32x4_mul(quarter, (a));                                                         \
    y1 = wasm_f32x4_neg(wasm_f32x4_mul(sixth, wasm_f32x4_add(sac, (b))));                      \
    y2 = wasm_f32x4_neg(wasm_f32x4_mul(sixth, wasm_f32x4_sub(sac, (b))));                      \
    y3 = wasm_f32x4_add(e, bb);                                                                \
    y4 = wasm_f32x4_sub(e, bb);                                                                \
    y5 = (cc);                                                                                 \
  } while (0)
      /* Columns of G·g (6 x 3), then each of its rows times Gᵀ. */
      v128_t r00, r10, r20, r30, r40, r50, r01, r11, r21, r31, r41, r51, r02, r12, r22, r32, r42, r52;
      G6(W(0, 0), W(1, 0), W(2, 0), r00, r10, r20, r30, r40, r50);
      G6(W(0, 1), W(1, 1), W(2, 1), r01, r11, r21, r31, r41, r51);
      G6(W(0, 2), W(1, 2), W(2, 2), r02, r12, r22, r32, r42, r52);
#define ROW(i, a, b, cc)                                                        \
  do {                                                                          \
    v128_t y0, y1, y2, y3, y4, y5;                                              \
    G6(a, b, cc, y0, y1, y2, y3, y4, y5);                                       \
    STORE_Y6(d + 6 * (i) * fs, fs);                                             \
  } while (0)
      ROW(0, r00, r01, r02);
      ROW(1, r10, r11, r12);
      ROW(2, r20, r21, r22);
      ROW(3, r30, r31, r32);
      ROW(4, r40, r41, r42);
      ROW(5, r50, r51, r52);
#undef ROW
#undef G6
#undef W
    }
  }
}

/*
 * Reading ahead. A chunk's transforms wait on memory (its input rows, its outputs' lines) and
 * its products on arithmetic alone, so while the products run they also touch, a few 64-byte
 * lines per point, the lines that the next transforms will read or write: loads whose values
 * only meet in `seen`, which is stored to the scratch `sink` so that they stay (WebAssembly has
 * no prefetch). 128 images of 32x32x16 → 16, caches flushed first: forward 6.6 → 5.5 ms,
 * filter gradient 6.5 → 5.1; 16x16x32: 4.6 → 4.2 and 4.6 → 4.0; little change from 64
 * channels or at stride 2. The forward pass touches all of the next chunk's input (against
 * its first 16 KiB: 16x16x32 4.0 → 3.9 ms, 8x8x64 3.3 → 3.2; at stride 2, with the lines
 * spread between register blocks (touch_share), 32x32x16 → 32 5.0 → 4.8 ms, 16x16x32 → 64
 * 4.25 → 4.05; loaded together at each point's start, a whole next image made it slower).
 */

/* The rows (R an image) under tiles ga..gb, whose tile row th covers rows step·th - P onwards for `span` (clamped to its image). */
static inline int first_row_under(int ga, int TH, int TW, int R, int step, int P) {
  const int th = (ga / TW) % TH, r = step * th - P;
  return (ga / (TH * TW)) * R + (r > 0 ? r : 0);
}
static inline int end_row_under(int gb, int TH, int TW, int R, int step, int P, int span) {
  const int th = (gb / TW) % TH, r = step * th - P + span;
  return (gb / (TH * TW)) * R + (r < R ? r : R);
}

/* Input rows a tile row advances: m outputs at the convolution's stride, taken as H / OH
   (2 at stride 2, 1/2 for winograd3s2.c's input gradient). Tile row th reads about rows
   step·th - PT to step·th - PT + step + 2 (exactly at 3x3 and stride 1): a hint, clamped to the image. */
static inline int read_ahead_step(int m, int H, int OH) {
  const int step = m * H / OH;
  return step > 0 ? step : 1;
}

/* The 64-byte lines of those rows (rowFloats floats each) under tiles ga..gb, none when ga > gb; they start at row first_row_under(ga, ...). */
static inline int lines_under(int ga, int gb, int TH, int TW, int R, int step, int P, int span, int rowFloats) {
  if (ga > gb) return 0;
  const int r0 = first_row_under(ga, TH, TW, R, step, P), r1 = end_row_under(gb, TH, TW, R, step, P, span);
  return r1 > r0 ? (r1 - r0) * rowFloats / 16 : 0;
}

/* M[f] = V[f] · U[f] for f < points: four tiles by eight output channels per register block, a
   panel of eight U columns at a time (it stays in L1 across the chunk's tiles). Touches la
   lines from ta and lb from tb on the way (see "Reading ahead"). */
void winograd_products(const float *V, int vs, const float *u, float *M, int ms, int tn, int C, int O8, int points,
                       const float *ta, int la, const float *tb, int lb, float *sink) {
  v128_t seen = wasm_f32x4_splat(0);
  const int blocks = (O8 / 8) * ((tn + 3) / 4);
  for (int f = 0; f < points; f++) {
    touch_span sa = touch_share(ta, la, f, points, blocks), sb = touch_share(tb, lb, f, points, blocks);
    const float *vf = V + f * vs, *uf = u + f * u_stride(C, O8);
    float *mf = M + f * ms;
    for (int j = 0; j < O8; j += 8) {
      for (int t = 0; t < tn; t += 4) {
        seen = touch_next(&sb, touch_next(&sa, seen));
        const int cnt = tn - t < 4 ? tn - t : 4;
        const float *a0 = vf + t * C;
        const float *a1 = cnt > 1 ? a0 + C : a0, *a2 = cnt > 2 ? a0 + 2 * C : a0, *a3 = cnt > 3 ? a0 + 3 * C : a0;
        product4x8(a0, a1, a2, a3, uf + j, O8, C, mf + t * O8 + j, O8, cnt);
      }
    }
  }
  wasm_v128_store(sink, seen);
}

/* P[f] += V[f]ᵀ · E[f] for f < points (P: [points][C][O8]): four input channels by eight output channels per register block. */
/* R (1..4, constant when inlined) channels from c by eight columns from j of one point's P += Σ_t V·E. */
static inline __attribute__((always_inline)) void gradient_block(const float *vf, const float *ef, float *pf, int R, int c, int j, int tn, int C, int O8) {
  float *pc = pf + c * O8 + j;
  LOADR_X8(pc, O8, R);
  const float *a = vf + c, *b = ef + j;
  for (int t = 0; t < tn; t++, a += C, b += O8) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    BLOCKR_X8_FMA(R, wasm_v128_load32_splat(a), wasm_v128_load32_splat(a + 1), wasm_v128_load32_splat(a + 2), wasm_v128_load32_splat(a + 3), b0, b1);
  }
  STORE4X8(pc, O8, 8, R);
}

void winograd_gradient_products(const float *V, int vs, const float *E, int es, float *P, int tn, int C, int CR, int O8, int points,
                                const float *ta, int la, const float *tb, int lb, float *sink) {
  v128_t seen = wasm_f32x4_splat(0);
  const int rows = (CR + 3) / 4;
  for (int f = 0; f < points; f++) {
    touch_span sa = touch_share(ta, la, f, points, rows), sb = touch_share(tb, lb, f, points, rows);
    const float *vf = V + f * vs, *ef = E + f * es;
    float *pf = P + f * C * O8;
    for (int c = 0; c < CR; c += 4) {
      const int R = CR - c < 4 ? CR - c : 4;
      seen = touch_next(&sb, touch_next(&sa, seen));
      for (int j = 0; j < O8; j += 8) {
        if (R == 4) gradient_block(vf, ef, pf, 4, c, j, tn, C, O8);
        else if (R == 3) gradient_block(vf, ef, pf, 3, c, j, tn, C, O8);
        else if (R == 2) gradient_block(vf, ef, pf, 2, c, j, tn, C, O8);
        else gradient_block(vf, ef, pf, 1, c, j, tn, C, O8);
      }
    }
  }
  wasm_v128_store(sink, seen);
}

/* Floats of scratch one call of a forward kernel needs for `tiles` tiles a chunk: V, M and `points` vectors (see winograd.h). */
EXPORT("winograd_scratch_floats")
int winograd_scratch_floats(int tiles, int C, int O, int points) { return points * (tiles * C + SKEW) + points * (tiles * ceil8(O) + SKEW) + points * 4 + ZERO_FLOATS(C); }

/* T + 36·4 floats: ZERO_FLOATS(C) zeros (winograd_forward_tiles and winograd_gradient_sums clear them) that patch rows outside x read. */
void winograd_transform_inputs(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  const v128_t zero = wasm_f32x4_splat(0);
  const float *Z = T + 36 * 4;
  int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
  for (int t = 0; t < tn; t++, NEXT_TILE()) {
    const int ih = m * th - PT, iw = m * tw - PL;
    const int rows = inside_mask(ih, H, 6), cols = inside_mask(iw, W, 6);
    /* Each patch row's first input (a row outside x reads zeros: column l of it at Z + l·C). */
    const float *row = x + ((n * H + ih) * W + iw) * C;
    const int rs = W * C;
    const float *p0 = rows & 1 ? row : Z, *p1 = rows & 2 ? row + rs : Z, *p2 = rows & 4 ? row + 2 * rs : Z;
    const float *p3 = rows & 8 ? row + 3 * rs : Z, *p4 = rows & 16 ? row + 4 * rs : Z, *p5 = rows & 32 ? row + 5 * rs : Z;
    float *v = V + t * C;
    for (int c = 0; c < C; c += 4, v += 4) {
      /* Columns: T[k][l] = (Bᵀ d)[k][l]; a column outside x transforms to 0. */
      for (int l = 0; l < 6; l++) {
        v128_t y0 = zero, y1 = zero, y2 = zero, y3 = zero, y4 = zero, y5 = zero;
        if ((cols >> l) & 1) {
          const int o = l * C + c;
          BT6(wasm_v128_load(p0 + o), wasm_v128_load(p1 + o), wasm_v128_load(p2 + o), wasm_v128_load(p3 + o), wasm_v128_load(p4 + o),
              wasm_v128_load(p5 + o), y0, y1, y2, y3, y4, y5);
        }
        float *tl = T + 4 * l;
        STORE_Y6(tl, 24);
      }
      /* Rows: V[6k + j] = (T B)[k][j]. */
      for (int k = 0; k < 6; k++) {
        const float *tk = T + 24 * k;
        v128_t y0, y1, y2, y3, y4, y5;
        BT6(wasm_v128_load(tk), wasm_v128_load(tk + 4), wasm_v128_load(tk + 8), wasm_v128_load(tk + 12), wasm_v128_load(tk + 16),
            wasm_v128_load(tk + 20), y0, y1, y2, y3, y4, y5);
        float *vk = v + 6 * k * vs;
        STORE_Y6(vk, vs);
      }
    }
  }
}

/* out for one tile from its products (4x4 outputs, rows x cols of them inside; see winograd_output_transform). */
static void transform_out4(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  for (int l = 0; l < 6; l++) {
    const float *ml = m + l * ms;
    v128_t y0, y1, y2, y3;
    AT6(wasm_v128_load(ml), wasm_v128_load(ml + 6 * ms), wasm_v128_load(ml + 12 * ms), wasm_v128_load(ml + 18 * ms),
        wasm_v128_load(ml + 24 * ms), wasm_v128_load(ml + 30 * ms), y0, y1, y2, y3);
    float *tl = T + 4 * l;
    STORE_Y4(tl, 24);
  }
  for (int k = 0; k < rows; k++) {
    const float *tk = T + 24 * k;
    v128_t y0, y1, y2, y3;
    AT6(wasm_v128_load(tk), wasm_v128_load(tk + 4), wasm_v128_load(tk + 8), wasm_v128_load(tk + 12), wasm_v128_load(tk + 16),
        wasm_v128_load(tk + 20), y0, y1, y2, y3);
    float *yk = y + k * OW * O;
    wasm_v128_store(yk, wasm_f32x4_add(b, y0));
    if (cols > 1) wasm_v128_store(yk + O, wasm_f32x4_add(b, y1));
    if (cols > 2) wasm_v128_store(yk + 2 * O, wasm_f32x4_add(b, y2));
    if (cols > 3) wasm_v128_store(yk + 3 * O, wasm_f32x4_add(b, y3));
  }
}

void winograd_forward_tiles(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk, int m, int points,
                            winograd_input_transform transform_in, winograd_output_transform transform_out, int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  const int O8 = ceil8(O);
  const int TH = (OH + m - 1) / m, TW = (OW + m - 1) / m;
  const int vs = chunk * C + SKEW, ms = chunk * O8 + SKEW;
  float *V = scratch;               /* [points][chunk][C], vs apart */
  float *M = scratch + points * vs; /* [points][chunk][O8], ms apart */
  float *T = M + points * ms;       /* `points` vectors, then ZERO_FLOATS(C) zeros */
  __builtin_memset(T + points * 4, 0, sizeof(float) * ZERO_FLOATS(C));
  const v128_t zero = wasm_f32x4_splat(0);
  const int step = read_ahead_step(m, H, OH), span = step + 2;
  for (int g0 = t0; g0 < t1; g0 += chunk) {
    const int tn = t1 - g0 < chunk ? t1 - g0 : chunk;
    transform_in(x, V, vs, T, m, g0, tn, H, W, C, TH, TW, PT, PL);
    /* Touched meanwhile: the next chunk's (tiles ga..gb) input rows and this chunk's output rows. */
    const int ga = g0 + tn, gb = (ga + tn < t1 ? ga + tn : t1) - 1;
    winograd_products(V, vs, u, M, ms, tn, C, O8, points, x + first_row_under(ga, TH, TW, H, step, PT) * W * C,
                      lines_under(ga, gb, TH, TW, H, step, PT, span, W * C),
                      out + first_row_under(g0, TH, TW, OH, m, 0) * OW * O, lines_under(g0, ga - 1, TH, TW, OH, m, 0, m, OW * O), T);
    int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
    for (int t = 0; t < tn; t++, NEXT_TILE()) {
      const int oh = m * th, ow = m * tw;
      const int rows = OH - oh < m ? OH - oh : m, cols = OW - ow < m ? OW - ow : m;
      float *y = out + ((n * OH + oh) * OW + ow) * O;
      for (int o = 0; o < O; o += 4) transform_out(M + t * O8 + o, ms, T, y + o, rows, cols, O, OW, bias ? wasm_v128_load(bias + o) : zero);
    }
  }
}

/*
 * out[n][oh][ow][o] = bias[o] + Σ_{kh, kw, c} x[n][oh + kh - PT][ow + kw - PL][c] · w[kh][kw][c][o]
 * (out of range: 0) for the 4x4 tiles t0..t1 (numbered n, tile row, tile column), `chunk` at a
 * time through `scratch` (winograd_scratch_floats(chunk, C, O) floats). u from
 * winograd_filter; bias may be 0. Tile ranges write disjoint outputs, so threads split them,
 * each with its own scratch.
 */
EXPORT("winograd_forward")
void winograd_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                      int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 36, winograd_transform_inputs, transform_out4, H, W, C, OH, OW, O, PT, PL);
}

void winograd_sum_rows(float *p0, int parts, int stride, int points, int C, int O8, int c0, int c1) {
  for (int f = 0; f < points; f++) {
    float *p = p0 + (f * C + c0) * O8;
    for (int k = 1; k < parts; k++)
      for (int i = 0; i < (c1 - c0) * O8; i += 4) wasm_v128_store(p + i, wasm_f32x4_add(wasm_v128_load(p + i), wasm_v128_load(p + k * stride + i)));
  }
}

/* Floats of scratch one call of a filter-gradient kernel needs for `tiles` tiles a chunk (its sums P last). */
EXPORT("winograd_grad_scratch_floats")
int winograd_grad_scratch_floats(int tiles, int C, int O, int points) { return winograd_scratch_floats(tiles, C, O, points) + points * C * ceil8(O); }

/* E for one tile: its dy block (m x m outputs from d, rows x cols of them inside dy, O channels O apart and OW·O a row) transformed, four output channels at a time, into E + 36 matrices es apart (O8 columns each; those past O 0); T: scratch. */
static void transform_dy4(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < O8; o += 4) {
    /* Columns: T[f][j] = (A δ)[f][j] (6 x 4), δ outside dy (or past O) 0. */
    for (int j = 0; j < 4; j++) {
      v128_t e0 = zero, e1 = zero, e2 = zero, e3 = zero;
      if (j < cols && o < O) {
        const float *q = d + j * O + o;
        e0 = wasm_v128_load(q);
        if (rows > 1) e1 = wasm_v128_load(q + OW * O);
        if (rows > 2) e2 = wasm_v128_load(q + 2 * OW * O);
        if (rows > 3) e3 = wasm_v128_load(q + 3 * OW * O);
      }
      v128_t y0, y1, y2, y3, y4, y5;
      A6(e0, e1, e2, e3, y0, y1, y2, y3, y4, y5);
      float *tj = T + 4 * j;
      STORE_Y6(tj, 16);
    }
    /* Rows: E[6f + g] = (T Aᵀ)[f][g]. */
    for (int f = 0; f < 6; f++) {
      const float *tf = T + 16 * f;
      v128_t y0, y1, y2, y3, y4, y5;
      A6(wasm_v128_load(tf), wasm_v128_load(tf + 4), wasm_v128_load(tf + 8), wasm_v128_load(tf + 12), y0, y1, y2, y3, y4, y5);
      float *ef = e + 6 * f * es + o;
      STORE_Y6(ef, es);
    }
  }
}

void winograd_gradient_sums(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk, int m, int points,
                            winograd_input_transform transform_in, winograd_dy_transform transform_dy, int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  const int O8 = ceil8(O);
  const int TH = (OH + m - 1) / m, TW = (OW + m - 1) / m;
  const int vs = chunk * C + SKEW, es = chunk * O8 + SKEW;
  float *V = scratch;               /* [points][chunk][C], vs apart */
  float *E = scratch + points * vs; /* [points][chunk][O8], es apart */
  float *T = E + points * es;       /* `points` vectors, then ZERO_FLOATS(C) zeros */
  float *P = T + points * 4 + ZERO_FLOATS(C); /* [points][C][O8] */
  __builtin_memset(T + points * 4, 0, sizeof(float) * ZERO_FLOATS(C));
  __builtin_memset(P, 0, sizeof(float) * points * C * O8);
  const int step = read_ahead_step(m, H, OH), span = step + 2;
  for (int g0 = t0; g0 < t1; g0 += chunk) {
    const int tn = t1 - g0 < chunk ? t1 - g0 : chunk;
    transform_in(x, V, vs, T, m, g0, tn, H, W, C, TH, TW, PT, PL);
    int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
    for (int t = 0; t < tn; t++, NEXT_TILE()) {
      const int oh = m * th, ow = m * tw;
      const int rows = OH - oh < m ? OH - oh : m, cols = OW - ow < m ? OW - ow : m;
      transform_dy(dy + ((n * OH + oh) * OW + ow) * O, E + t * O8, es, T, rows, cols, O, O8, OW);
    }
    /* Touched meanwhile: the next chunk's (tiles ga..gb) input rows and dy rows. */
    const int ga = g0 + tn, gb = (ga + tn < t1 ? ga + tn : t1) - 1;
    winograd_gradient_products(V, vs, E, es, P, tn, C, CR, O8, points, x + first_row_under(ga, TH, TW, H, step, PT) * W * C,
                               lines_under(ga, gb, TH, TW, H, step, PT, span, W * C), dy + first_row_under(ga, TH, TW, OH, m, 0) * OW * O,
                               lines_under(ga, gb, TH, TW, OH, m, 0, m, OW * O), T);
  }
}

/*
 * The filter gradient by the same transforms: for y = conv(x, w) as in winograd_forward,
 * Σ y·δ = Σ_f (A δ Aᵀ)_f (G w Gᵀ)_f (Bᵀ d B)_f summed over tiles, so
 * dW = Gᵀ [Σ_tiles (A δ Aᵀ) ⊙ (Bᵀ d B)] G with δ a tile's 4x4 block of dy (0 outside dy).
 * This call sums P[f][c][o] = Σ_t V[f][t][c]·E[f][t][o] over tiles t0..t1 into the P at the
 * end of its scratch (winograd_grad_scratch_floats; [36][C][O8]);
 * winograd_filter_grad_finish adds the threads' P and transforms back.
 */
EXPORT("winograd_filter_grad")
void winograd_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                          int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 36, winograd_transform_inputs, transform_dy4, H, W, C, OH, OW, O, PT, PL, CR);
}

/* y0..y2 = Gᵀ·(p0..p5) on vectors. */
#define GT6(p0, p1, p2, p3, p4, p5, y0, y1, y2)                                                             \
  do {                                                                                                      \
    const v128_t s12 = wasm_f32x4_add((p1), (p2)), d12 = wasm_f32x4_sub((p2), (p1));                        \
    const v128_t s34 = wasm_f32x4_add((p3), (p4)), d34 = wasm_f32x4_sub((p3), (p4));                        \
    y0 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(0.25f), (p0)), wasm_f32x4_mul(wasm_f32x4_splat(-1.0f / 6.0f), s12)), \
                        wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 24.0f), s34));                               \
    y1 = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 6.0f), d12), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 12.0f), d34)); \
    y2 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_splat(-1.0f / 6.0f), s12), wasm_f32x4_mul(wasm_f32x4_splat(1.0f / 6.0f), s34)), (p5)); \
  } while (0)

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] of P = the sum of `parts` winograd_filter_grad sums,
 * the first at p0 and each `stride` floats after the last, for input channels c0 <= c < c1
 * (threads split them, each with its own scratch). O a multiple of 4; scratch: 18 vectors.
 */
EXPORT("winograd_filter_grad_finish")
void winograd_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O, int c0, int c1) {
  const int O8 = ceil8(O);
  winograd_sum_rows(p0, parts, stride, 36, C, O8, c0, c1);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O; o += 4) {
      /* Columns: scratch[k][j] = (Gᵀ P)[k][j] (3 x 6). */
      for (int j = 0; j < 6; j++) {
#define P(i) wasm_v128_load(p0 + ((6 * (i) + j) * C + c) * O8 + o)
        v128_t y0, y1, y2;
        GT6(P(0), P(1), P(2), P(3), P(4), P(5), y0, y1, y2);
#undef P
        STORE_Y3(scratch + 4 * j, 24);
      }
      /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */
      for (int k = 0; k < 3; k++) {
        const float *s = scratch + 24 * k;
        v128_t y0, y1, y2;
        GT6(wasm_v128_load(s), wasm_v128_load(s + 4), wasm_v128_load(s + 8), wasm_v128_load(s + 12), wasm_v128_load(s + 16),
            wasm_v128_load(s + 20), y0, y1, y2);
        STORE_Y3(dw + (k * 3 * C + c) * O + o, C * O);
      }
    }
  }
}

/* dst[r][j] = src[r][j] for j < min(n, m), 0 for n <= j < m: rows of n floats to rows of m, padded or cropped (channel counts the kernels above cannot take). */
EXPORT("copy_columns")
void copy_columns(const float *src, float *dst, int rows, int n, int m) {
  const int k = n < m ? n : m;
  for (int r = 0; r < rows; r++) {
    const float *s = src + r * n;
    float *d = dst + r * m;
    if (k >= 4) {
      /* Whole vectors, the last one overlapping the one before when k % 4 != 0 (6 → 8: at 0 and 2). */
      for (int j = 0; j < k; j += 4) {
        const int at = j + 4 <= k ? j : k - 4;
        wasm_v128_store(d + at, wasm_v128_load(s + at));
      }
    } else {
      for (int j = 0; j < k; j++) d[j] = s[j];
    }
    for (int j = k; j < m; j++) d[j] = 0.0f;
  }
}
