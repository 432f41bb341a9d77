/*
 * 3x3 convolutions with unit stride by Winograd's F(8x8, 3x3): an 8x8 block of outputs from
 * the 10x10 input patch under it, 100 multiplications per (input, output) channel pair where
 * F(4x4, 3x3) (winograd.c) takes 144 for the same 64 outputs and a direct convolution 576.
 * Interpolation points 0, ±1, ±2, ±1/2, ±3/4 and ∞ (of the sets tried, the one with the
 * smallest float32 error: on random inputs over 128 channels ~5e-5 of the outputs' size on
 * average, ~2e-4 at worst, against F(4x4, 3x3)'s ~1.5e-6 and ~4.5e-6; TF32, which PyTorch
 * uses for convolutions on Ampere GPUs by default, rounds to ~5e-4).
 *
 * With the points in pairs ±p, M(x) = x·N(x²), N(s) = (s - 1)(s - 4)(s - 1/4)(s - 9/16) =
 * Σ N_k s^k, and for each pair N_p(s) = N(s)/(s - p²) = Σ n_k s^k (n_3 = 1). Then, for
 * components ordered 0, +1, -1, +2, -2, +1/2, -1/2, +3/4, -3/4, ∞:
 *   Bᵀ: row 0 is M(x)/x = N(x²), Σ N_k d_2k; rows ±p are M(x)/(x ∓ p) = x(x ± p)N_p(x²), so
 *       E ± p·O with E = Σ n_k d_(2k+2) and O = Σ n_k d_(2k+1); row ∞ is M, Σ N_k d_(2k+1).
 *   G:  row 0 is (g_0/N_0, 0, 0)·g; rows ±p are w_p·(g_0 + p²g_2 ± p·g_1), w_p = 1/M'(p) =
 *       1/(2p²·N_p(p²)); row ∞ is g_2.
 *   Aᵀ: column j is (1, p_j, .., p_j⁷) (∞: (0, .., 0, 1)), so a pair adds p^i·(m₊ ± m₋).
 * Each pair costs ~15 operations of a 1-D transform instead of ~18 for two rows as written.
 *
 * Forward pass only (and so the unit-stride input gradient, a forward pass of the flipped
 * filter): phases, chunks and threading as in winograd.c, through its shared loop with 100
 * components (winograd_gen.h). The filter gradient stays F(4x4, 3x3)'s: its sums over
 * 100 components outgrow the caches (winograd.ts).
 */
#include "winograd_gen.h"

/* The pairs' squares, and N's coefficients (N_4 = 1). */
#define S1 1.0f
#define S2 4.0f
#define S3 0.25f
#define S4 0.5625f
#define N0 (S1 * S2 * S3 * S4)
#define N1 (-(S1 * S2 * S3 + S1 * S2 * S4 + S1 * S3 * S4 + S2 * S3 * S4))
#define N2 (S1 * S2 + S1 * S3 + S1 * S4 + S2 * S3 + S2 * S4 + S3 * S4)
#define N3 (-(S1 + S2 + S3 + S4))

/* c·x for a constant c (nothing to multiply for 1). */
static inline __attribute__((always_inline)) v128_t scale(float c, v128_t x) { return c == 1.0f ? x : wasm_f32x4_mul(wasm_f32x4_splat(c), x); }
/* Σ c_k·x_k over four terms, the last coefficient 1. */
static inline __attribute__((always_inline)) v128_t lin3_1(float c0, float c1, float c2, v128_t x0, v128_t x1, v128_t x2, v128_t x3) {
  return wasm_f32x4_add(wasm_f32x4_add(scale(c0, x0), scale(c1, x1)), wasm_f32x4_add(scale(c2, x2), x3));
}

/* Bᵀ rows ±p (N_p's coefficients from the other pairs' squares a, b, c) into y[i], y[i + 1]. */
#define BT_PAIR(p, a, b, c, x, y, i)                                                                                    \
  do {                                                                                                                 \
    const float n0_ = -(a) * (b) * (c), n1_ = (a) * (b) + (a) * (c) + (b) * (c), n2_ = -((a) + (b) + (c));              \
    const v128_t e_ = lin3_1(n0_, n1_, n2_, x[2], x[4], x[6], x[8]), o_ = scale(p, lin3_1(n0_, n1_, n2_, x[1], x[3], x[5], x[7])); \
    y[i] = wasm_f32x4_add(e_, o_);                                                                                     \
    y[(i) + 1] = wasm_f32x4_sub(e_, o_);                                                                               \
  } while (0)

/* y = Bᵀ·x (10 from 10). */
#define BT10(x, y)                                                                                     \
  do {                                                                                                 \
    y[0] = wasm_f32x4_add(scale(N0, x[0]), lin3_1(N1, N2, N3, x[2], x[4], x[6], x[8]));               \
    BT_PAIR(1.0f, S2, S3, S4, x, y, 1);                                                                \
    BT_PAIR(2.0f, S1, S3, S4, x, y, 3);                                                                \
    BT_PAIR(0.5f, S1, S2, S4, x, y, 5);                                                                \
    BT_PAIR(0.75f, S1, S2, S3, x, y, 7);                                                               \
    y[9] = wasm_f32x4_add(scale(N0, x[1]), lin3_1(N1, N2, N3, x[3], x[5], x[7], x[9]));               \
  } while (0)

/* 1/M'(p) for the pair ±p (square s, the others' a, b, c). */
#define W_PAIR(s, a, b, c) (1.0f / (2.0f * (s) * ((s) - (a)) * ((s) - (b)) * ((s) - (c))))

/* G rows ±p into y[i], y[i + 1]. */
#define G_PAIR(p, s, a, b, c, x, y, i)                                                                 \
  do {                                                                                                 \
    const float w_ = W_PAIR(s, a, b, c);                                                               \
    const v128_t e_ = wasm_f32x4_add(scale(w_, x[0]), scale(w_ * (s), x[2])), o_ = scale(w_ * (p), x[1]); \
    y[i] = wasm_f32x4_add(e_, o_);                                                                     \
    y[(i) + 1] = wasm_f32x4_sub(e_, o_);                                                               \
  } while (0)

/* y = G·x (10 from 3). */
#define G103(x, y)                                   \
  do {                                               \
    y[0] = scale(1.0f / N0, x[0]);                   \
    G_PAIR(1.0f, S1, S2, S3, S4, x, y, 1);           \
    G_PAIR(2.0f, S2, S1, S3, S4, x, y, 3);           \
    G_PAIR(0.5f, S3, S1, S2, S4, x, y, 5);           \
    G_PAIR(0.75f, S4, S1, S2, S3, x, y, 7);          \
    y[9] = x[2];                                     \
  } while (0)

/* Aᵀ's terms for the pair ±p in x[i], x[i + 1] added into y (8 from 10): p^k·(x₊ + x₋) for even k, p^k·(x₊ - x₋) for odd. */
#define AT_PAIR(p, x, y, i)                                                                                       \
  do {                                                                                                            \
    const v128_t s_ = wasm_f32x4_add(x[i], x[(i) + 1]), d_ = wasm_f32x4_sub(x[i], x[(i) + 1]);                    \
    float pk_ = 1.0f;                                                                                             \
    UNROLL for (int k_ = 0; k_ < 8; k_++, pk_ *= (p)) y[k_] = wasm_f32x4_add(y[k_], scale(pk_, k_ & 1 ? d_ : s_)); \
  } while (0)

/* y = Aᵀ·x (8 from 10). */
#define AT810(x, y)                                                      \
  do {                                                                   \
    y[0] = x[0];                                                         \
    UNROLL for (int k_ = 1; k_ < 7; k_++) y[k_] = wasm_f32x4_splat(0);   \
    y[7] = x[9];                                                         \
    AT_PAIR(1.0f, x, y, 1);                                              \
    AT_PAIR(2.0f, x, y, 3);                                              \
    AT_PAIR(0.5f, x, y, 5);                                              \
    AT_PAIR(0.75f, x, y, 7);                                             \
  } while (0)

/* F(8x8, 3x3)'s filter transform (scratch: 30 vectors), input and output transforms. */
WINOGRAD_FILTER(winograd83_filter, 3, 10, G103)
WINOGRAD_INPUTS(transform_inputs10, 10, 10, WINOGRAD_ORIGIN, BT10)
WINOGRAD_OUTPUTS(transform_out8, 10, 8, AT810)

/* As winograd_forward with 8x8 tiles, 10x10 patches (scratch: winograd_scratch_floats with 100 points); u from winograd83_filter. */
EXPORT("winograd83_forward")
void winograd83_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 8, 100, transform_inputs10, transform_out8, H, W, C, OH, OW, O, PT, PL);
}

