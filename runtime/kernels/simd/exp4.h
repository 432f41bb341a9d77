/*
 * e^x four lanes at a time (gelu.c, attention.c): range reduction to r = x - k·ln 2, a
 * degree-5 polynomial, and 2^k built in the exponent bits.
 */
#include "lanes.h"

/*
 * e^r for r in [-ln2/2, ln2/2] by a degree-5 minimax polynomial (coefficients fitted to
 * relative error, as XNNPACK's) in Estrin's scheme, (1 + c1·r) + r²(c2 + c3·r) + r⁴(c4 + c5·r):
 * half of Horner's dependent chain; the loops that call this are bound by the chain's latency,
 * not by the arithmetic.
 */
static inline v128_t exp_poly5(v128_t r) {
  const v128_t r2 = wasm_f32x4_mul(r, r);
  const v128_t r4 = wasm_f32x4_mul(r2, r2);
  const v128_t q0 = wasm_f32x4_add(wasm_f32x4_mul(r, splat(0x1.fffff6p-1f)), splat(1.0f));
  const v128_t q1 = wasm_f32x4_add(wasm_f32x4_mul(r, splat(0x1.555a70p-3f)), splat(0x1.fffdc4p-2f));
  const v128_t q2 = wasm_f32x4_add(wasm_f32x4_mul(r, splat(0x1.0fa6fcp-7f)), splat(0x1.573b0ep-5f));
  return wasm_f32x4_add(wasm_f32x4_add(q0, wasm_f32x4_mul(r2, q1)), wasm_f32x4_mul(r4, q2));
}

/* 2^k from kf = k + 1.5·2^23 (whose bits are that magic's plus k): (bits + 127 - magic's) << 23 is k + 127 in the exponent. */
static inline v128_t two_pow(v128_t kf) { return wasm_i32x4_shl(wasm_i32x4_add(kf, wasm_i32x4_splat(127 - 0x4B400000)), 23); }

/*
 * e^x for x in [-87, 88] (clamped; NaN stays NaN), relative error about 1.7e-7. k = round(x·log2 e)
 * by the 1.5·2^23 trick (kf's low mantissa bits then hold k), r = x - k·ln 2 in two parts, then
 * exp_poly5(r)·2^k; pmin/pmax: V8 lowers nearest, trunc_sat and the NaN-exact min/max to
 * several x64 instructions each.
 */
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, splat(88.0f)), splat(-87.0f));
  const v128_t magic = splat(12582912.0f); /* 1.5 · 2^23 */
  const v128_t kf = wasm_f32x4_add(wasm_f32x4_mul(x, splat(1.44269504f)), magic);
  const v128_t k = wasm_f32x4_sub(kf, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(k, splat(0.693145752f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(k, splat(1.42860677e-6f)));
  return wasm_f32x4_mul(exp_poly5(r), two_pow(kf));
}
