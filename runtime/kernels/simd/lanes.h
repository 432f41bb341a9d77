/* Small helpers over the four lanes of a v128, shared by the SIMD kernels. */
#include <wasm_simd128.h>

static inline v128_t splat(float v) { return wasm_f32x4_splat(v); }

/* The sum of the four lanes, pairwise. */
static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) + (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

/* The largest of the four lanes. */
static inline float hmax(v128_t v) {
  const float a = wasm_f32x4_extract_lane(v, 0), b = wasm_f32x4_extract_lane(v, 1);
  const float c = wasm_f32x4_extract_lane(v, 2), d = wasm_f32x4_extract_lane(v, 3);
  const float ab = a > b ? a : b, cd = c > d ? c : d;
  return ab > cd ? ab : cd;
}

/* The 4x4 transpose of rows a..d into t0..t3 (t_i = lane i of each). */
#define TRANSPOSE4(a, b, c, d, t0, t1, t2, t3)                                         \
  do {                                                                                 \
    const v128_t ab0 = wasm_i32x4_shuffle((a), (b), 0, 4, 1, 5), cd0 = wasm_i32x4_shuffle((c), (d), 0, 4, 1, 5); \
    const v128_t ab1 = wasm_i32x4_shuffle((a), (b), 2, 6, 3, 7), cd1 = wasm_i32x4_shuffle((c), (d), 2, 6, 3, 7); \
    t0 = wasm_i64x2_shuffle(ab0, cd0, 0, 2), t1 = wasm_i64x2_shuffle(ab0, cd0, 1, 3);  \
    t2 = wasm_i64x2_shuffle(ab1, cd1, 0, 2), t3 = wasm_i64x2_shuffle(ab1, cd1, 1, 3);  \
  } while (0)
