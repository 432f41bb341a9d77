/*
 * Optimizer updates for tfjs-backend-wasm's heap, with WASM SIMD, in tfjs's float32 order:
 *   sgd        w' = c·g + w                    (c = -learning rate)
 *   momentum   a' = m·a + g,  w' = c·a' + w
 * One call per variable where tfjs runs two to four kernels. optimizerStep.ts keeps the same
 * arithmetic in JS. Same rules as bmm.c.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("sgd_step")
void sgd_step(const float *w, const float *g, float *out, int n, float c) {
  const v128_t cv = wasm_f32x4_splat(c);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(out + i, wasm_f32x4_add(wasm_f32x4_mul(cv, wasm_v128_load(g + i)), wasm_v128_load(w + i)));
  for (; i < n; i++) out[i] = c * g[i] + w[i];
}

EXPORT("momentum_step")
void momentum_step(const float *w, const float *g, const float *a, float *out, float *aout, int n, float c, float m) {
  const v128_t cv = wasm_f32x4_splat(c), mv = wasm_f32x4_splat(m);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t acc = wasm_f32x4_add(wasm_f32x4_mul(mv, wasm_v128_load(a + i)), wasm_v128_load(g + i));
    wasm_v128_store(aout + i, acc);
    wasm_v128_store(out + i, wasm_f32x4_add(wasm_f32x4_mul(cv, acc), wasm_v128_load(w + i)));
  }
  for (; i < n; i++) {
    const float acc = m * a[i] + g[i];
    aout[i] = acc;
    out[i] = c * acc + w[i];
  }
}
