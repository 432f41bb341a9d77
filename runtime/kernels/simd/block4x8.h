/*
 * The register block that bmm.c and conv.c multiply with: four rows of A by eight columns of
 * B, accumulated in eight v128 values named c00..c31 in the caller (row r, column half h is
 * c<r><h>). Macros rather than functions so that the accumulators stay in registers: the
 * kernels may not use a stack frame (see scripts/build.mjs).
 */
#include <wasm_simd128.h>

/* c<r>0 += x<r>·b0 and c<r>1 += x<r>·b1 for the four rows. */
#define BLOCK4X8_FMA(x0, x1, x2, x3, b0, b1)                 \
  do {                                                       \
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul((x0), (b0)));   \
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul((x0), (b1)));   \
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul((x1), (b0)));   \
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul((x1), (b1)));   \
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul((x2), (b0)));   \
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul((x2), (b1)));   \
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul((x3), (b0)));   \
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul((x3), (b1)));   \
  } while (0)

/*
 * BLOCK4X8_FMA for the first R (1..4) rows only, R a constant once inlined (a block of fewer
 * rows than four multiplies only those): x<r> is not evaluated for the others.
 */
#define BLOCKR_X8_FMA(R, x0, x1, x2, x3, b0, b1)                                                 \
  do {                                                                                           \
    const v128_t s0_ = (x0);                                                                     \
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(s0_, (b0))), c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(s0_, (b1))); \
    if ((R) > 1) {                                                                               \
      const v128_t s1_ = (x1);                                                                   \
      c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(s1_, (b0))), c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(s1_, (b1))); \
    }                                                                                            \
    if ((R) > 2) {                                                                               \
      const v128_t s2_ = (x2);                                                                   \
      c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(s2_, (b0))), c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(s2_, (b1))); \
    }                                                                                            \
    if ((R) > 3) {                                                                               \
      const v128_t s3_ = (x3);                                                                   \
      c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(s3_, (b0))), c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(s3_, (b1))); \
    }                                                                                            \
  } while (0)

/* Declares c00..c31 as the 8 floats of the first R rows at c, `stride` floats apart (the other rows start as row 0's, unused). */
#define LOADR_X8(c, stride, R)                                                        \
  v128_t c00 = wasm_v128_load(c), c01 = wasm_v128_load((c) + 4);                      \
  v128_t c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;            \
  if ((R) > 1) c10 = wasm_v128_load((c) + (stride)), c11 = wasm_v128_load((c) + (stride) + 4);         \
  if ((R) > 2) c20 = wasm_v128_load((c) + 2 * (stride)), c21 = wasm_v128_load((c) + 2 * (stride) + 4); \
  if ((R) > 3) c30 = wasm_v128_load((c) + 3 * (stride)), c31 = wasm_v128_load((c) + 3 * (stride) + 4)

/* The first `cols` (1..3) floats at c, the other lanes 0. */
static inline v128_t load_partial(const float *c, int cols) {
  v128_t v = wasm_f32x4_make(c[0], 0.0f, 0.0f, 0.0f);
  if (cols > 1) v = wasm_f32x4_replace_lane(v, 1, c[1]);
  if (cols > 2) v = wasm_f32x4_replace_lane(v, 2, c[2]);
  return v;
}

/* lo, hi = 8 floats of one row at c (or the `cols` < 8 that exist, the rest 0); store8's inverse. */
#define LOAD8(c, cols, lo, hi)                                           \
  do {                                                                   \
    if ((cols) >= 8) {                                                   \
      lo = wasm_v128_load(c);                                            \
      hi = wasm_v128_load((c) + 4);                                      \
    } else if ((cols) >= 4) {                                            \
      lo = wasm_v128_load(c);                                            \
      hi = (cols) > 4 ? load_partial((c) + 4, (cols) - 4) : wasm_f32x4_splat(0); \
    } else {                                                             \
      lo = load_partial((c), (cols));                                    \
      hi = wasm_f32x4_splat(0);                                          \
    }                                                                    \
  } while (0)

/* Stores the first `cols` (1..3) lanes of v at c. */
static inline void store_partial(float *c, v128_t v, int cols) {
  c[0] = wasm_f32x4_extract_lane(v, 0);
  if (cols > 1) c[1] = wasm_f32x4_extract_lane(v, 1);
  if (cols > 2) c[2] = wasm_f32x4_extract_lane(v, 2);
}

/* Stores 8 accumulated columns (or the `cols` < 8 that exist) of one row. */
static inline void store8(float *c, v128_t lo, v128_t hi, int cols) {
  if (cols >= 8) {
    wasm_v128_store(c, lo);
    wasm_v128_store(c + 4, hi);
  } else if (cols >= 4) {
    wasm_v128_store(c, lo);
    if (cols > 4) store_partial(c + 4, hi, cols - 4);
  } else {
    store_partial(c, lo, cols);
  }
}

/* Stores the block's first `rows` (1..4) rows, `stride` floats apart from c (`cols` columns each). */
#define STORE4X8(c, stride, cols, rows)                                  \
  do {                                                                   \
    store8((c), c00, c01, (cols));                                       \
    if ((rows) > 1) store8((c) + (stride), c10, c11, (cols));            \
    if ((rows) > 2) store8((c) + 2 * (stride), c20, c21, (cols));        \
    if ((rows) > 3) store8((c) + 3 * (stride), c30, c31, (cols));        \
  } while (0)

/*
 * c's first cnt (1..4) rows, ldc floats apart, 8 floats each = Σ_k a<r>[k] · b[k·ldb .. k·ldb + 8)
 * for the four rows a0..a3 (a row past cnt may repeat a0: computed, not stored): one register
 * block of a matrix product over a K-long contraction, B's 8 columns read in place.
 */
static inline __attribute__((always_inline)) void product4x8(const float *a0, const float *a1, const float *a2, const float *a3, const float *b, int ldb,
                                                             int K, float *c, int ldc, int cnt) {
  const v128_t zero = wasm_f32x4_splat(0);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  for (int k = 0; k < K; k++, b += ldb) {
    const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    BLOCK4X8_FMA(wasm_v128_load32_splat(a0 + k), wasm_v128_load32_splat(a1 + k), wasm_v128_load32_splat(a2 + k), wasm_v128_load32_splat(a3 + k), b0, b1);
  }
  STORE4X8(c, ldc, 8, cnt);
}
