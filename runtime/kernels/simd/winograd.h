/*
 * What winograd.c (F(4x4, 3x3)), winograd34.c (F(3x3, 4x4)), winograd45.c (F(4x4, 5x5)),
 * winograd44.c (F(4x4, 4x4)), winograd22.c (3x3 over 2x2 maps) and winograd3s2.c (3x3/2)
 * share. The first three take a 6x6 input patch per tile (the same Bᵀ: interpolation points
 * 0, ±1, ±2, ∞), so 36 frequency components, each a matrix product over channels; F(4x4, 4x4)
 * takes a 7x7 patch, 49 components, winograd22.c a whole 2x2 map, 9, and winograd3s2.c a 9x9
 * span, 81. `points` below is one of those counts. Same rules as conv.c: no state, no stack
 * frame, only the memory handed in.
 */
#include "block4x8.h"

#define EXPORT(name) __attribute__((export_name(name)))

static inline int ceil8(int n) { return (n + 7) & ~7; }

/* Floats added between the 36 matrices of U, V, M and E: at power-of-two strides their streams would share cache sets. */
#define SKEW 16

/* Zeros after a forward or gradient call's transform scratch T, for patch rows outside the input to read (rows of up to 10 positions of C channels: winograd83.c's patches). */
#define ZERO_FLOATS(C) (10 * (C))

/* Floats from one transformed filter matrix U[f] ([C][O8]) to the next. */
static inline int u_stride(int C, int O8) { return C * O8 + SKEW; }

/* Stores the caller's y0, y1, ... at p, p + s, p + 2s, ...: a transform's outputs down a scratch column or into the 36 matrices. */
#define STORE_Y3(p, s) (wasm_v128_store((p), y0), wasm_v128_store((p) + (s), y1), wasm_v128_store((p) + 2 * (s), y2))
#define STORE_Y4(p, s) (STORE_Y3(p, s), wasm_v128_store((p) + 3 * (s), y3))
#define STORE_Y5(p, s) (STORE_Y4(p, s), wasm_v128_store((p) + 4 * (s), y4))
#define STORE_Y6(p, s) (STORE_Y5(p, s), wasm_v128_store((p) + 5 * (s), y5))

/*
 * Reading ahead (see winograd.c): point f's share of a span's lines (f·lines/points .. (f+1)·lines/points), loaded `per` at a
 * time between the point's register blocks (`blocks` of them) so that their misses overlap
 * the arithmetic: all at the point's start, they stalled it together (one thread, caches
 * flushed: 32x32x16 forward 5.5 → 5.15 ms, 8x8x64 3.3 → 3.1; the filter gradient, spread
 * over its rows of four channels, 5.4 → 5.3; spread over every block it made 4x4x128 15% slower).
 */
typedef struct { const float *a; int i, e, per; } touch_span;
static inline touch_span touch_share(const float *a, int lines, int f, int points, int blocks) {
  const int i = f * lines / points, e = (f + 1) * lines / points;
  return (touch_span){a, i, e, (e - i + blocks - 1) / blocks};
}
/* seen ORed with the next `per` lines of t's share. */
static inline __attribute__((always_inline)) v128_t touch_next(touch_span *t, v128_t seen) {
  for (int k = 0; k < t->per && t->i < t->e; k++, t->i++) seen = wasm_v128_or(seen, wasm_v128_load(t->a + 16 * t->i));
  return seen;
}

/* Patch rows (or columns) 0..k-1 from `first` that lie inside 0..size-1: bit i set when first + i does. */
static inline int inside_mask(int first, int size, int k) {
  int m = 0;
  for (int i = 0; i < k; i++)
    if (first + i >= 0 && first + i < size) m |= 1 << i;
  return m;
}

/* Steps the tile coordinates (n, th, tw) to the next tile (an expression, for a loop's step). */
#define NEXT_TILE() (++tw == TW ? (tw = 0, ++th == TH ? (th = 0, n++) : 0) : 0)

/*
 * V[f][t][c] = (Bᵀ d B)[f] for the 6x6 input patch d at (m·th - PT, m·tw - PL) of tiles
 * g0..g0+tn (numbered n, tile row, tile column; TH x TW tiles an image; m outputs a tile
 * side), out-of-range inputs 0; the 36 matrices vs floats apart; T: 36 vectors of scratch.
 */
void winograd_transform_inputs(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL);

/* An input transform of that form (winograd_transform_inputs, or winograd44.c's for 7x7 patches; T: `points` vectors). */
typedef void (*winograd_input_transform)(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL);

/* M[f] = V[f] · U[f], f < points (V: [points][tn][C] vs apart; U: [points][C][O8] u_stride apart; M: [points][tn][O8] ms apart); meanwhile loads la 64-byte lines from ta and lb from tb into cache (their values go to sink, a vector of scratch). */
void winograd_products(const float *V, int vs, const float *u, float *M, int ms, int tn, int C, int O8, int points, const float *ta, int la, const float *tb, int lb, float *sink);

/* P[f] += V[f]ᵀ · E[f], f < points (E: [points][tn][O8] es apart; P: [points][C][O8]), for P's first CR rows: V's channels past CR are padding (LeNet's 6 in 8), their rows of P stay as they are; touches ta and tb as winograd_products. */
void winograd_gradient_products(const float *V, int vs, const float *E, int es, float *P, int tn, int C, int CR, int O8, int points,
                                const float *ta, int la, const float *tb, int lb, float *sink);

/*
 * The threads' filter-gradient sums added into the first, p0 (`parts` of them, `stride` floats
 * apart), over rows c0..c1 of each of its `points` matrices [C][O8]: a finish's share when
 * threads split its channels.
 */
void winograd_sum_rows(float *p0, int parts, int stride, int points, int C, int O8, int c0, int c1);

/*
 * One tile's outputs from its products, four channels: m at its first product (`points` of
 * them ms apart), y at its first output (rows x cols of its outputs inside out; O channels,
 * OW·O floats a row), b the bias; T scratch of `points` vectors.
 */
typedef void (*winograd_output_transform)(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b);

/*
 * A convolution's outputs for m x m tiles t0..t1, `chunk` at a time through `scratch`
 * (winograd_scratch_floats): V by transform_in, M = V·U, then transform_out for each tile.
 * u: the filter transformed, `points` matrices u_stride apart; bias may be 0.
 */
void winograd_forward_tiles(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk, int m, int points,
                            winograd_input_transform transform_in, winograd_output_transform transform_out, int H, int W, int C, int OH, int OW, int O, int PT, int PL);

/*
 * One tile's dy block transformed into E: d its first output (rows x cols of its m x m inside
 * dy; O channels, OW·O floats a row), e the tile's column of E (`points` matrices es apart, O8
 * columns, those past O 0), T scratch of `points` vectors.
 */
typedef void (*winograd_dy_transform)(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW);

/*
 * The filter gradient's sums for m x m tiles t0..t1, `chunk` at a time: V by transform_in and
 * E by transform_dy, then P[f][c][o] += Σ_t V[f][t][c]·E[f][t][o] into the P at the end of the
 * scratch (winograd_grad_scratch_floats; [points][C][O8]), zeroed first; c < CR, the channels
 * that are not padding.
 */
void winograd_gradient_sums(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk, int m, int points,
                            winograd_input_transform transform_in, winograd_dy_transform transform_dy, int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR);

/* The 1-D transforms of F(4x4, 3x3) (winograd.c), which F(4x4, 4x4) (winograd44.c) builds on. */
/* y0..y5 = Bᵀ·(x0..x5) on vectors. */
#define BT6(x0, x1, x2, x3, x4, x5, y0, y1, y2, y3, y4, y5)                            \
  do {                                                                                \
    const v128_t four = wasm_f32x4_splat(4.0f), five = wasm_f32x4_splat(5.0f);        \
    const v128_t two = wasm_f32x4_splat(2.0f);                                        \
    const v128_t a = wasm_f32x4_sub((x4), wasm_f32x4_mul(four, (x2)));                \
    const v128_t b = wasm_f32x4_sub(wasm_f32x4_mul(four, (x1)), (x3));                \
    const v128_t c = wasm_f32x4_sub((x4), (x2));                                      \
    const v128_t d = wasm_f32x4_mul(two, wasm_f32x4_sub((x1), (x3)));                 \
    y0 = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, (x0)), wasm_f32x4_mul(five, (x2))), (x4)); \
    y1 = wasm_f32x4_sub(a, b);                                                        \
    y2 = wasm_f32x4_add(a, b);                                                        \
    y3 = wasm_f32x4_sub(c, d);                                                        \
    y4 = wasm_f32x4_add(c, d);                                                        \
    y5 = wasm_f32x4_add(wasm_f32x4_sub(wasm_f32x4_mul(four, (x1)), wasm_f32x4_mul(five, (x3))), (x5)); \
  } while (0)

/* y0..y3 = Aᵀ·(m0..m5) on vectors. */
#define AT6(m0, m1, m2, m3, m4, m5, y0, y1, y2, y3)                                       \
  do {                                                                                    \
    const v128_t s12 = wasm_f32x4_add((m1), (m2)), d12 = wasm_f32x4_sub((m1), (m2));      \
    const v128_t s34 = wasm_f32x4_add((m3), (m4)), d34 = wasm_f32x4_sub((m3), (m4));      \
    y0 = wasm_f32x4_add(wasm_f32x4_add((m0), s12), s34);                                  \
    y1 = wasm_f32x4_add(d12, wasm_f32x4_mul(wasm_f32x4_splat(2.0f), d34));                \
    y2 = wasm_f32x4_add(s12, wasm_f32x4_mul(wasm_f32x4_splat(4.0f), s34));                \
    y3 = wasm_f32x4_add(wasm_f32x4_add(d12, wasm_f32x4_mul(wasm_f32x4_splat(8.0f), d34)), (m5)); \
  } while (0)

/* y0..y5 = A·(e0..e3) on vectors (A = (Aᵀ)ᵀ, 6 x 4). */
#define A6(e0, e1, e2, e3, y0, y1, y2, y3, y4, y5)                                        \
  do {                                                                                    \
    const v128_t s02 = wasm_f32x4_add((e0), (e2)), s13 = wasm_f32x4_add((e1), (e3));      \
    const v128_t q02 = wasm_f32x4_add((e0), wasm_f32x4_mul(wasm_f32x4_splat(4.0f), (e2))); \
    const v128_t q13 = wasm_f32x4_mul(wasm_f32x4_splat(2.0f), wasm_f32x4_add((e1), wasm_f32x4_mul(wasm_f32x4_splat(4.0f), (e3)))); \
    y0 = (e0);                                                                            \
    y1 = wasm_f32x4_add(s02, s13);                                                        \
    y2 = wasm_f32x4_sub(s02, s13);                                                        \
    y3 = wasm_f32x4_add(q02, q13);                                                        \
    y4 = wasm_f32x4_sub(q02, q13);                                                        \
    y5 = (e3);                                                                            \
  } while (0)
