/*
 * Optimizer updates for tfjs-backend-wasm's heap, with WASM SIMD, in tfjs's float32 order:
 *   sgd        w' = c·g + w                    (c = -learning rate)
 *   momentum   a' = m·a + g,  w' = c·a' + w
 * One call for every variable (optimizer_steps) where tfjs runs two to four kernels per
 * variable. optimizerStep.ts keeps the same arithmetic in JS. Same rules as bmm.c.
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

static void momentum_step(const float *w, const float *g, const float *a, float *out, float *aout, int n, float c, float m) {
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

/*
 * Every variable's step as one job that threads split by elements: table holds six ints per
 * variable (w, g, a, out, aout, n; a and aout unused without momentum) and this call updates
 * elements [e0, e1) of the variables laid end to end, by the loops above (the same results
 * wherever the cuts fall).
 */
EXPORT("optimizer_steps")
void optimizer_steps(const int *table, int count, int e0, int e1, float c, float m, int momentum) {
  int base = 0;
  for (int i = 0; i < count && base < e1; i++, table += 6) {
    const int n = table[5];
    const int s = e0 > base ? e0 - base : 0, e = e1 - base < n ? e1 - base : n;
    if (s < e) {
      const float *w = (const float *)table[0] + s, *g = (const float *)table[1] + s;
      if (momentum) momentum_step(w, g, (const float *)table[2] + s, (float *)table[3] + s, (float *)table[4] + s, e - s, c, m);
      else sgd_step(w, g, (float *)table[3] + s, e - s, c);
    }
    base += n;
  }
}
