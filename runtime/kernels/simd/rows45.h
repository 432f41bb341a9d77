/*
 * Winograd's F(4, 5) in one dimension, shared by rows45.c (one input channel) and rows45c.c
 * (several): four outputs y[j] = Σ_k w[k]·d[j + k] of an 8-input segment d are
 * Aᵀ[(G' w) ⊙ (Bᵀ' d)] at 8 points (0, ±1, ±2, ±1/2, ∞), and a filter row's gradient over
 * them is G'ᵀ[(A δ) ⊙ (Bᵀ' d)] with δ their gradient. Bᵀ's rows and A's columns are scaled to
 * cheap constants and G' takes the scales:
 *
 *   Bᵀ' d: X0 = (d0 - d6) + 21/4·(d4 - d2)          X7 = (d7 - d1) + 21/4·(d3 - d5)
 *          X1,2 = [(d2 + d6) - 17/4·d4] ± [(d1 + d5) - 17/4·d3]
 *          X3,4 = [(d2/4 + d6) - 5/4·d4] ± [(d1/2 + 2·d5) - 5/2·d3]
 *          X5,6 = [(4·d2 + d6) - 5·d4] ± [(2·d1 + d5/2) - 5/2·d3]
 *   A δ:   D0 = δ0, D7 = δ3, D1,2 = (δ0 + δ2) ± (δ1 + δ3), D3,4 = (δ0 + 4δ2) ± 2(δ1 + 4δ3),
 *          D5,6 = 2(4δ0 + δ2) ± (4δ1 + δ3)
 *   Aᵀ M:  y0 = M0 + s1 + s3 + 8·s5, y1 = d1 + 2·d3 + 4·d5, y2 = s1 + 4·s3 + 2·s5,
 *          y3 = d1 + 8·d3 + d5 + M7 (s_i, d_i = M_i ± M_(i+1))
 *   G' (8 x 5): [1 0 0 0 0], -2/9·[1 1 1 1 1], -2/9·[1 -1 1 -1 1], 1/90·[1 2 4 8 16],
 *               1/90·[1 -2 4 -8 16], 1/180·[16 8 4 2 1], 1/180·[16 -8 4 -2 1], [0 0 0 0 1]
 *
 * (Derived by solving Σ_i Aᵀ[j][i]·G'[i][k]·Bᵀ'[i][l] = [l = j + k] exactly; float32 results
 * within ~1e-6 of a direct sum.) Each macro works on vectors, lanes independent, and evaluates
 * each argument once.
 */
#include "lanes.h"

/* Row segments of four outputs over OW outputs (the last one partly past the row). */
static inline int rows45_segments(int OW) { return (OW + 3) / 4; }

/* Stores the 8 vectors X0..X7 at p, p + s, ..., p + 7s. */
#define ROWS45_STORE8(p, s, X0, X1, X2, X3, X4, X5, X6, X7)                                                         \
  (wasm_v128_store((p), X0), wasm_v128_store((p) + (s), X1), wasm_v128_store((p) + 2 * (s), X2),                    \
   wasm_v128_store((p) + 3 * (s), X3), wasm_v128_store((p) + 4 * (s), X4), wasm_v128_store((p) + 5 * (s), X5),      \
   wasm_v128_store((p) + 6 * (s), X6), wasm_v128_store((p) + 7 * (s), X7))

/* X0..X7 = Bᵀ'·(d0..d7). */
#define ROWS45_BT(d0, d1, d2, d3, d4, d5, d6, d7, X0, X1, X2, X3, X4, X5, X6, X7)                                             \
  do {                                                                                                                            \
    const v128_t D0_ = (d0), D1_ = (d1), D2_ = (d2), D3_ = (d3), D4_ = (d4), D5_ = (d5), D6_ = (d6), D7_ = (d7);                  \
    const v128_t e1_ = wasm_f32x4_sub(wasm_f32x4_add(D2_, D6_), wasm_f32x4_mul(splat(4.25f), D4_));                               \
    const v128_t o1_ = wasm_f32x4_sub(wasm_f32x4_add(D1_, D5_), wasm_f32x4_mul(splat(4.25f), D3_));                               \
    const v128_t e3_ = wasm_f32x4_sub(wasm_f32x4_add(wasm_f32x4_mul(splat(0.25f), D2_), D6_), wasm_f32x4_mul(splat(1.25f), D4_)); \
    const v128_t o3_ = wasm_f32x4_sub(wasm_f32x4_add(wasm_f32x4_mul(splat(0.5f), D1_), wasm_f32x4_mul(splat(2.0f), D5_)), wasm_f32x4_mul(splat(2.5f), D3_)); \
    const v128_t e5_ = wasm_f32x4_sub(wasm_f32x4_add(wasm_f32x4_mul(splat(4.0f), D2_), D6_), wasm_f32x4_mul(splat(5.0f), D4_)); \
    const v128_t o5_ = wasm_f32x4_sub(wasm_f32x4_add(wasm_f32x4_mul(splat(2.0f), D1_), wasm_f32x4_mul(splat(0.5f), D5_)), wasm_f32x4_mul(splat(2.5f), D3_)); \
    X0 = wasm_f32x4_add(wasm_f32x4_sub(D0_, D6_), wasm_f32x4_mul(splat(5.25f), wasm_f32x4_sub(D4_, D2_)));                        \
    X1 = wasm_f32x4_add(e1_, o1_), X2 = wasm_f32x4_sub(e1_, o1_), X3 = wasm_f32x4_add(e3_, o3_), X4 = wasm_f32x4_sub(e3_, o3_);  \
    X5 = wasm_f32x4_add(e5_, o5_), X6 = wasm_f32x4_sub(e5_, o5_);                                                                 \
    X7 = wasm_f32x4_add(wasm_f32x4_sub(D7_, D1_), wasm_f32x4_mul(splat(5.25f), wasm_f32x4_sub(D3_, D5_)));                        \
  } while (0)

/* Bᵀ'·(d0..d7), stored at p, p + s, ... (see ROWS45_STORE8). */
#define ROWS45_BT_STORE(d0, d1, d2, d3, d4, d5, d6, d7, p, s)                      \
  do {                                                                              \
    v128_t X0_, X1_, X2_, X3_, X4_, X5_, X6_, X7_;                                  \
    ROWS45_BT(d0, d1, d2, d3, d4, d5, d6, d7, X0_, X1_, X2_, X3_, X4_, X5_, X6_, X7_); \
    ROWS45_STORE8((p), (s), X0_, X1_, X2_, X3_, X4_, X5_, X6_, X7_);                \
  } while (0)

/* D0..D7 = A·(e0..e3). */
#define ROWS45_A(e0, e1, e2, e3, D0, D1, D2, D3, D4, D5, D6, D7)                                                       \
  do {                                                                                                                 \
    const v128_t E0_ = (e0), E1_ = (e1), E2_ = (e2), E3_ = (e3);                                                       \
    const v128_t s02_ = wasm_f32x4_add(E0_, E2_), s13_ = wasm_f32x4_add(E1_, E3_);                                     \
    const v128_t q02_ = wasm_f32x4_add(E0_, wasm_f32x4_mul(splat(4.0f), E2_));                                         \
    const v128_t q13_ = wasm_f32x4_mul(splat(2.0f), wasm_f32x4_add(E1_, wasm_f32x4_mul(splat(4.0f), E3_)));            \
    const v128_t h02_ = wasm_f32x4_mul(splat(2.0f), wasm_f32x4_add(wasm_f32x4_mul(splat(4.0f), E0_), E2_));            \
    const v128_t h13_ = wasm_f32x4_add(wasm_f32x4_mul(splat(4.0f), E1_), E3_);                                         \
    D0 = E0_, D1 = wasm_f32x4_add(s02_, s13_), D2 = wasm_f32x4_sub(s02_, s13_), D3 = wasm_f32x4_add(q02_, q13_);        \
    D4 = wasm_f32x4_sub(q02_, q13_), D5 = wasm_f32x4_add(h02_, h13_), D6 = wasm_f32x4_sub(h02_, h13_), D7 = E3_;        \
  } while (0)

/* A·(e0..e3), stored at p, p + s, ... */
#define ROWS45_A_STORE(e0, e1, e2, e3, p, s)                                \
  do {                                                                       \
    v128_t D0_, D1_, D2_, D3_, D4_, D5_, D6_, D7_;                           \
    ROWS45_A(e0, e1, e2, e3, D0_, D1_, D2_, D3_, D4_, D5_, D6_, D7_);        \
    ROWS45_STORE8((p), (s), D0_, D1_, D2_, D3_, D4_, D5_, D6_, D7_);         \
  } while (0)

/* w0..w4 = G'ᵀ·(p0..p7): a filter row's gradient from its 8 points' sums. */
#define ROWS45_GT(p0, p1, p2, p3, p4, p5, p6, p7, w0, w1, w2, w3, w4)                                                                 \
  do {                                                                                                                                 \
    const v128_t P0_ = (p0), P1_ = (p1), P2_ = (p2), P3_ = (p3), P4_ = (p4), P5_ = (p5), P6_ = (p6), P7_ = (p7);                       \
    const v128_t s12_ = wasm_f32x4_add(P1_, P2_), d12_ = wasm_f32x4_sub(P1_, P2_), s34_ = wasm_f32x4_add(P3_, P4_);                    \
    const v128_t d34_ = wasm_f32x4_sub(P3_, P4_), s56_ = wasm_f32x4_add(P5_, P6_), d56_ = wasm_f32x4_sub(P5_, P6_);                    \
    const v128_t t_ = wasm_f32x4_mul(splat(-2.0f / 9.0f), s12_), u_ = wasm_f32x4_mul(splat(-2.0f / 9.0f), d12_);                       \
    w0 = wasm_f32x4_add(wasm_f32x4_add(P0_, t_), wasm_f32x4_add(wasm_f32x4_mul(splat(1.0f / 90.0f), s34_), wasm_f32x4_mul(splat(16.0f / 180.0f), s56_))); \
    w1 = wasm_f32x4_add(u_, wasm_f32x4_add(wasm_f32x4_mul(splat(2.0f / 90.0f), d34_), wasm_f32x4_mul(splat(8.0f / 180.0f), d56_)));   \
    w2 = wasm_f32x4_add(t_, wasm_f32x4_add(wasm_f32x4_mul(splat(4.0f / 90.0f), s34_), wasm_f32x4_mul(splat(4.0f / 180.0f), s56_)));   \
    w3 = wasm_f32x4_add(u_, wasm_f32x4_add(wasm_f32x4_mul(splat(8.0f / 90.0f), d34_), wasm_f32x4_mul(splat(2.0f / 180.0f), d56_)));   \
    w4 = wasm_f32x4_add(wasm_f32x4_add(t_, P7_), wasm_f32x4_add(wasm_f32x4_mul(splat(16.0f / 90.0f), s34_), wasm_f32x4_mul(splat(1.0f / 180.0f), s56_))); \
  } while (0)

/* y0..y3 = Aᵀ·(m0..m7) + b. */
#define ROWS45_AT(m0, m1, m2, m3, m4, m5, m6, m7, b, y0, y1, y2, y3)                                                           \
  do {                                                                                                                        \
    const v128_t M0_ = (m0), M1_ = (m1), M2_ = (m2), M3_ = (m3), M4_ = (m4), M5_ = (m5), M6_ = (m6), M7_ = (m7), B_ = (b);    \
    const v128_t s1_ = wasm_f32x4_add(M1_, M2_), d1_ = wasm_f32x4_sub(M1_, M2_), s3_ = wasm_f32x4_add(M3_, M4_);       \
    const v128_t d3_ = wasm_f32x4_sub(M3_, M4_), s5_ = wasm_f32x4_add(M5_, M6_), d5_ = wasm_f32x4_sub(M5_, M6_);       \
    y0 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(M0_, B_), s1_), wasm_f32x4_add(s3_, wasm_f32x4_mul(splat(8.0f), s5_))); \
    y1 = wasm_f32x4_add(wasm_f32x4_add(d1_, B_), wasm_f32x4_add(wasm_f32x4_mul(splat(2.0f), d3_), wasm_f32x4_mul(splat(4.0f), d5_))); \
    y2 = wasm_f32x4_add(wasm_f32x4_add(s1_, B_), wasm_f32x4_add(wasm_f32x4_mul(splat(4.0f), s3_), wasm_f32x4_mul(splat(2.0f), s5_))); \
    y3 = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_add(d1_, B_), wasm_f32x4_add(wasm_f32x4_mul(splat(8.0f), d3_), d5_)), M7_); \
  } while (0)

/* U0..U7 = G'·(w0..w4). */
#define ROWS45_G(w0, w1, w2, w3, w4, U0, U1, U2, U3, U4, U5, U6, U7)                                                           \
  do {                                                                                                                            \
    const v128_t W0_ = (w0), W1_ = (w1), W2_ = (w2), W3_ = (w3), W4_ = (w4);                                                      \
    const v128_t e_ = wasm_f32x4_add(wasm_f32x4_add(W0_, W2_), W4_), o_ = wasm_f32x4_add(W1_, W3_);                               \
    const v128_t e4_ = wasm_f32x4_add(wasm_f32x4_add(W0_, wasm_f32x4_mul(splat(4.0f), W2_)), wasm_f32x4_mul(splat(16.0f), W4_)); \
    const v128_t o4_ = wasm_f32x4_add(wasm_f32x4_mul(splat(2.0f), W1_), wasm_f32x4_mul(splat(8.0f), W3_));                        \
    const v128_t e16_ = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(splat(16.0f), W0_), wasm_f32x4_mul(splat(4.0f), W2_)), W4_); \
    const v128_t o16_ = wasm_f32x4_add(wasm_f32x4_mul(splat(8.0f), W1_), wasm_f32x4_mul(splat(2.0f), W3_));                       \
    U0 = W0_, U1 = wasm_f32x4_mul(splat(-2.0f / 9.0f), wasm_f32x4_add(e_, o_)), U2 = wasm_f32x4_mul(splat(-2.0f / 9.0f), wasm_f32x4_sub(e_, o_)); \
    U3 = wasm_f32x4_mul(splat(1.0f / 90.0f), wasm_f32x4_add(e4_, o4_)), U4 = wasm_f32x4_mul(splat(1.0f / 90.0f), wasm_f32x4_sub(e4_, o4_));       \
    U5 = wasm_f32x4_mul(splat(1.0f / 180.0f), wasm_f32x4_add(e16_, o16_)), U6 = wasm_f32x4_mul(splat(1.0f / 180.0f), wasm_f32x4_sub(e16_, o16_)); \
    U7 = W4_;                                                                                                                     \
  } while (0)

/* G'·(w0..w4), stored at p, p + s, ... */
#define ROWS45_G_STORE(w0, w1, w2, w3, w4, p, s)                             \
  do {                                                                        \
    v128_t U0_, U1_, U2_, U3_, U4_, U5_, U6_, U7_;                            \
    ROWS45_G(w0, w1, w2, w3, w4, U0_, U1_, U2_, U3_, U4_, U5_, U6_, U7_);     \
    ROWS45_STORE8((p), (s), U0_, U1_, U2_, U3_, U4_, U5_, U6_, U7_);          \
  } while (0)
