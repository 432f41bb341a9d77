/*
 * y[a][c][b][:] = x[a][b][c][:]: swapping the middle axes of [A, B, C, D] with rows of D
 * floats moved whole (D a multiple of 4), as attention splits and merges its heads
 * ([batch, tokens, heads, d] ↔ [batch, heads, tokens, d]). Same rules as bmm.c.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

EXPORT("swap_middle_axes")
void swap_middle_axes(const float *x, float *y, int A, int B, int C, int D) {
  for (int a = 0; a < A; a++) {
    const float *xa = x + a * B * C * D;
    float *ya = y + a * B * C * D;
    for (int c = 0; c < C; c++) {
      for (int b = 0; b < B; b++) {
        const float *src = xa + (b * C + c) * D;
        float *dst = ya + (c * B + b) * D;
        for (int d = 0; d < D; d += 4) wasm_v128_store(dst + d, wasm_v128_load(src + d));
      }
    }
  }
}
