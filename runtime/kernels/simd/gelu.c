/*
 * GELU (the exact, erf form that tfjs-layers' 'gelu' computes), and in training also its
 * derivative, for tfjs-backend-wasm's heap, with WASM SIMD: erf by Abramowitz and Stegun 7.1.26, the formula
 * tfjs's own Erf kernels use (max abs error 1.5e-7), exp by range reduction and a degree-5
 * polynomial (exp4.h). gelu.ts keeps the same arithmetic in JS. Same rules as bmm.c.
 */
#include "exp4.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* e^(-x²/2): erf's exponential at x/√2, and √(2π)·φ(x). */
static v128_t gauss4(v128_t x) { return exp4(wasm_f32x4_mul(splat(-0.5f), wasm_f32x4_mul(x, x))); }

/* Φ(x) = ½(1 + erf(x/√2)), given g = gauss4(x). */
static v128_t cdf4(v128_t x, v128_t g) {
  const v128_t u = wasm_f32x4_mul(x, splat(0.707106781f));
  const v128_t v = wasm_f32x4_abs(u);
  const v128_t t = wasm_f32x4_div(splat(1.0f), wasm_f32x4_add(splat(1.0f), wasm_f32x4_mul(splat(0.3275911f), v)));
  v128_t p = splat(1.061405429f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), splat(-1.453152027f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), splat(1.421413741f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), splat(-0.284496736f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), splat(0.254829592f));
  const v128_t e = wasm_f32x4_sub(splat(1.0f), wasm_f32x4_mul(wasm_f32x4_mul(p, t), g));
  /* erf is odd: take the sign of u. */
  const v128_t erf = wasm_v128_or(e, wasm_v128_and(u, wasm_i32x4_splat((int)0x80000000)));
  return wasm_f32x4_mul(splat(0.5f), wasm_f32x4_add(splat(1.0f), erf));
}

/* y = x·Φ(x); n a multiple of 4 (the caller does the rest). */
EXPORT("gelu")
void gelu(const float *x, float *y, int n) {
  for (int i = 0; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(y + i, wasm_f32x4_mul(v, cdf4(v, gauss4(v))));
  }
}

/* y = x·Φ(x) and d = Φ(x) + x·φ(x) = dy/dx, φ(x) = e^(-x²/2)/√(2π): one exponential serves both; n a multiple of 4. */
EXPORT("gelu_train")
void gelu_train(const float *x, float *y, float *d, int n) {
  for (int i = 0; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    const v128_t g = gauss4(v);
    const v128_t cdf = cdf4(v, g);
    wasm_v128_store(y + i, wasm_f32x4_mul(v, cdf));
    wasm_v128_store(d + i, wasm_f32x4_add(cdf, wasm_f32x4_mul(v, wasm_f32x4_mul(splat(0.398942280f), g))));
  }
}
