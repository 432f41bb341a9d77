/*
 * e^x four lanes at a time (gelu.c, attention.c): range reduction to r = x - k·ln 2, a
 * degree-6 polynomial, and 2^k built in the exponent bits.
 */
#include "lanes.h"

/*
 * e^x for x in [-87, 88] (clamped; NaN stays NaN), relative error about 1e-7. k = round(x·log2 e)
 * by the 1.5·2^23 trick (kf's low mantissa bits then hold k), and pmin/pmax: V8 lowers nearest,
 * trunc_sat and the NaN-exact min/max to several x64 instructions each.
 */
static inline v128_t exp4(v128_t x) {
  x = wasm_f32x4_pmax(wasm_f32x4_pmin(x, splat(88.0f)), splat(-87.0f));
  const v128_t magic = splat(12582912.0f); /* 1.5 · 2^23 */
  const v128_t kf = wasm_f32x4_add(wasm_f32x4_mul(x, splat(1.44269504f)), magic);
  const v128_t k = wasm_f32x4_sub(kf, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(k, splat(0.693145752f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(k, splat(1.42860677e-6f)));
  /* Estrin's scheme, (1 + r + r²(1/2 + r/6)) + r⁴(1/24 + r/120 + r²/720): half of Horner's
     dependent chain (six multiply-adds in a row); the loops that call this are bound by the
     chain's latency, not by the arithmetic. */
  const v128_t r2 = wasm_f32x4_mul(r, r);
  const v128_t r4 = wasm_f32x4_mul(r2, r2);
  const v128_t q0 = wasm_f32x4_add(r, splat(1.0f));
  const v128_t q1 = wasm_f32x4_add(wasm_f32x4_mul(r, splat(1.0f / 6)), splat(0.5f));
  const v128_t q2 = wasm_f32x4_add(wasm_f32x4_mul(r, splat(1.0f / 120)), splat(1.0f / 24));
  const v128_t lo = wasm_f32x4_add(q0, wasm_f32x4_mul(r2, q1));
  const v128_t hi = wasm_f32x4_add(q2, wasm_f32x4_mul(r2, splat(1.0f / 720)));
  const v128_t p = wasm_f32x4_add(lo, wasm_f32x4_mul(r4, hi));
  const v128_t two_k = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(kf, magic), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, two_k);
}

