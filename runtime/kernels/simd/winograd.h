/*
 * What winograd.c (F(4x4, 3x3)), winograd34.c (F(3x3, 4x4)) and winograd5.c (F(2x2, 5x5))
 * share. All take a 6x6 input
 * patch per tile (the same Bᵀ: interpolation points 0, ±1, ±2, ∞), so 36 frequency
 * components, each a matrix product over channels. Same rules as conv.c: no state, no stack
 * frame, only the memory handed in.
 */
#include "block4x8.h"

#define EXPORT(name) __attribute__((export_name(name)))

static inline int ceil8(int n) { return (n + 7) & ~7; }

/* Floats added between the 36 matrices of U, V, M and E: at power-of-two strides their streams would share cache sets. */
#define SKEW 16

/* Floats from one transformed filter matrix U[f] ([C][O8]) to the next. */
static inline int u_stride(int C, int O8) { return C * O8 + SKEW; }

/* Stores the caller's y0, y1, ... at p, p + s, p + 2s, ...: a transform's outputs down a scratch column or into the 36 matrices. */
#define STORE_Y3(p, s) (wasm_v128_store((p), y0), wasm_v128_store((p) + (s), y1), wasm_v128_store((p) + 2 * (s), y2))
#define STORE_Y4(p, s) (STORE_Y3(p, s), wasm_v128_store((p) + 3 * (s), y3))
#define STORE_Y5(p, s) (STORE_Y4(p, s), wasm_v128_store((p) + 4 * (s), y4))
#define STORE_Y6(p, s) (STORE_Y5(p, s), wasm_v128_store((p) + 5 * (s), y5))

/* Steps the tile coordinates (n, th, tw) to the next tile (an expression, for a loop's step). */
#define NEXT_TILE() (++tw == TW ? (tw = 0, ++th == TH ? (th = 0, n++) : 0) : 0)

/*
 * V[f][t][c] = (Bᵀ d B)[f] for the 6x6 input patch d at (m·th - PT, m·tw - PL) of tiles
 * g0..g0+tn (numbered n, tile row, tile column; TH x TW tiles an image; m outputs a tile
 * side), out-of-range inputs 0; the 36 matrices vs floats apart; T: 36 vectors of scratch.
 */
void winograd_transform_inputs(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL);

/* M[f] = V[f] · U[f], f < 36 (V: [36][tn][C] vs apart; U: [36][C][O8] u_stride apart; M: [36][tn][O8] ms apart). */
void winograd_products(const float *V, int vs, const float *u, float *M, int ms, int tn, int C, int O8);

/* P[f] += V[f]ᵀ · E[f], f < 36 (E: [36][tn][O8] es apart; P: [36][C][O8]). */
void winograd_gradient_products(const float *V, int vs, const float *E, int es, float *P, int tn, int C, int O8);

/* p0[i] += p0[k·stride + i] for 0 < k < parts, i < n (a multiple of 4): the threads' filter-gradient sums into the first. */
void winograd_sum_parts(float *p0, int parts, int stride, int n);

/*
 * One tile's outputs from its products, four channels: m at its first product (36 of them ms
 * apart), y at its first output (rows x cols of its outputs inside out; O channels, OW·O
 * floats a row), b the bias; T scratch of 36 vectors.
 */
typedef void (*winograd_output_transform)(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b);

/*
 * A convolution's outputs for m x m tiles t0..t1, `chunk` at a time through `scratch`
 * (winograd_scratch_floats): V, M = V·U, then transform_out for each tile. u: the filter
 * transformed, 36 matrices u_stride apart; bias may be 0.
 */
void winograd_forward_tiles(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk, int m,
                            winograd_output_transform transform_out, int H, int W, int C, int OH, int OW, int O, int PT, int PL);

/*
 * One tile's dy block transformed into E: d its first output (rows x cols of its m x m inside
 * dy; O channels, OW·O floats a row), e the tile's column of E (36 matrices es apart, O8
 * columns, those past O 0), T scratch of 36 vectors.
 */
typedef void (*winograd_dy_transform)(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW);

/*
 * The filter gradient's sums for m x m tiles t0..t1, `chunk` at a time: V and E by
 * transform_dy, then P[f][c][o] += Σ_t V[f][t][c]·E[f][t][o] into the P at the end of the
 * scratch (winograd_grad_scratch_floats; [36][C][O8]), zeroed first.
 */
void winograd_gradient_sums(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk, int m, winograd_dy_transform transform_dy,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL);
