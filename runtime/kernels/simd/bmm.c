/*
 * Batched single-precision matrix products for tfjs-backend-wasm's heap, with WASM SIMD.
 *
 * Built by scripts/build.mjs (clang --target=wasm32, -msimd128) into a module that imports
 * the backend's own memory, so it reads and writes tensors in place. It keeps no state,
 * no globals and no stack frame (nothing here takes an address), so it never touches
 * memory it was not handed. runtime/kernels/simdModule.ts loads it; batchMatMul.ts calls it.
 */
#include "block4x8.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* dst[k][n8] = B[k][n] (or Bᵀ when B is stored [n][k]), zero-padded to n8 columns. */
static void pack_b(const float *B, float *dst, int k, int n, int n8, int trans_b) {
  for (int p = 0; p < k; p++) {
    float *row = dst + p * n8;
    if (trans_b) {
      for (int j = 0; j < n; j++) row[j] = B[j * k + p];
    } else {
      for (int j = 0; j < n; j++) row[j] = B[p * n + j];
    }
    for (int j = n; j < n8; j++) row[j] = 0.0f;
  }
}

/*
 * C[b] (m×n, row-major) = A[b] · B[b] for b < batch.
 * A[b][i][p] sits at A + b·a_batch + i·a_row + p·a_col (so Aᵀ storage is a_row = 1, a_col = m);
 * B[b] is [k][n] row-major, or [n][k] when trans_b; b_batch = 0 broadcasts one B (likewise
 * a_batch = 0). scratch holds k·roundup(n, 8) floats.
 */
EXPORT("bmm")
void bmm(const float *A, const float *B, float *C, float *scratch, int batch, int m, int k, int n,
         int a_batch, int a_row, int a_col, int b_batch, int trans_b) {
  const int n8 = (n + 7) & ~7;
  for (int b = 0; b < batch; b++) {
    const float *a = A + b * a_batch;
    float *c = C + b * m * n;
    if (b == 0 || b_batch != 0) pack_b(B + b * b_batch, scratch, k, n, n8, trans_b);
    int i = 0;
    for (; i + 4 <= m; i += 4) {
      const float *a0 = a + i * a_row;
      for (int j = 0; j < n8; j += 8) {
        v128_t c00 = wasm_f32x4_splat(0), c01 = wasm_f32x4_splat(0);
        v128_t c10 = wasm_f32x4_splat(0), c11 = wasm_f32x4_splat(0);
        v128_t c20 = wasm_f32x4_splat(0), c21 = wasm_f32x4_splat(0);
        v128_t c30 = wasm_f32x4_splat(0), c31 = wasm_f32x4_splat(0);
        const float *bp = scratch + j;
        const float *ap = a0;
        for (int p = 0; p < k; p++, bp += n8, ap += a_col) {
          const v128_t b0 = wasm_v128_load(bp);
          const v128_t b1 = wasm_v128_load(bp + 4);
          const v128_t x0 = wasm_f32x4_splat(ap[0]);
          const v128_t x1 = wasm_f32x4_splat(ap[a_row]);
          const v128_t x2 = wasm_f32x4_splat(ap[2 * a_row]);
          const v128_t x3 = wasm_f32x4_splat(ap[3 * a_row]);
          BLOCK4X8_FMA(x0, x1, x2, x3, b0, b1);
        }
        const int cols = n - j;
        store8(c + (i + 0) * n + j, c00, c01, cols);
        store8(c + (i + 1) * n + j, c10, c11, cols);
        store8(c + (i + 2) * n + j, c20, c21, cols);
        store8(c + (i + 3) * n + j, c30, c31, cols);
      }
    }
    for (; i < m; i++) {
      const float *a0 = a + i * a_row;
      for (int j = 0; j < n8; j += 8) {
        v128_t c00 = wasm_f32x4_splat(0), c01 = wasm_f32x4_splat(0);
        const float *bp = scratch + j;
        const float *ap = a0;
        for (int p = 0; p < k; p++, bp += n8, ap += a_col) {
          const v128_t x0 = wasm_f32x4_splat(ap[0]);
          c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, wasm_v128_load(bp)));
          c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, wasm_v128_load(bp + 4)));
        }
        store8(c + i * n + j, c00, c01, n - j);
      }
    }
  }
}
