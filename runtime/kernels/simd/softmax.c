/*
 * The gradient of softmax over the last axis for tfjs-backend-wasm's heap, with WASM SIMD,
 * one row at a time while it sits in L1 (attention rows are 65 floats):
 *   dx = y·(dy - Σ dy·y)
 * tfjs runs it as four full-size ops (Multiply, Sum, Sub, Multiply). softmax.ts keeps the
 * same arithmetic in JS. (The forward stays XNNPACK's: ours was 20% slower.) Same rules as bmm.c.
 */
#include "lanes.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* dx[r] = y[r]·(dy[r] - Σ dy[r]·y[r]) for rows r < rows of d floats. */
EXPORT("softmax_grad_rows")
void softmax_grad_rows(const float *dy, const float *y, float *dx, int rows, int d) {
  const int d4 = d & ~3;
  for (int r = 0; r < rows; r++, dy += d, y += d, dx += d) {
    v128_t s4 = splat(0.0f);
    int i = 0;
    for (; i < d4; i += 4) s4 = wasm_f32x4_add(s4, wasm_f32x4_mul(wasm_v128_load(dy + i), wasm_v128_load(y + i)));
    float s = hsum(s4);
    for (; i < d; i++) s += dy[i] * y[i];
    const v128_t sv = splat(s);
    for (i = 0; i < d4; i += 4) wasm_v128_store(dx + i, wasm_f32x4_mul(wasm_v128_load(y + i), wasm_f32x4_sub(wasm_v128_load(dy + i), sv)));
    for (; i < d; i++) dx[i] = y[i] * (dy[i] - s);
  }
}
