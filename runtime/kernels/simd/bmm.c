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

/*
 * Rows of the contraction multiplied per pass over C. A long contraction (a Dense layer's
 * weight gradient: Aᵀ·dY over 8320 rows) then keeps its slices of A and B in L2 while every
 * register block of C visits them, instead of streaming both from memory once per block.
 */
#define KC 256

/* dst[p][n8] = B[p0 + p][:] (or Bᵀ's rows when B is stored [n][k]) for p < kc, zero-padded to n8 columns. */
static void pack_b(const float *B, float *dst, int p0, int kc, int k, int n, int n8, int trans_b) {
  for (int p = 0; p < kc; p++) {
    float *row = dst + p * n8;
    if (trans_b) {
      for (int j = 0; j < n; j++) row[j] = B[j * k + p0 + p];
    } else {
      for (int j = 0; j < n; j++) row[j] = B[(p0 + p) * n + j];
    }
    for (int j = n; j < n8; j++) row[j] = 0.0f;
  }
}

/* The accumulators' starting values: C's partial sums after the first slice, else the bias, else 0. */
#define START8(c, bias, j, cols, first, lo, hi)    \
  do {                                             \
    if (!(first)) {                                \
      LOAD8((c), (cols), lo, hi);                  \
    } else if (bias) {                             \
      LOAD8((bias) + (j), (cols), lo, hi);         \
    } else {                                       \
      lo = hi = wasm_f32x4_splat(0);               \
    }                                              \
  } while (0)

/*
 * C[b] (m×n, row-major) = A[b] · B[b] (+ bias) for b < batch.
 * A[b][i][p] sits at A + b·a_batch + i·a_row + p·a_col (so Aᵀ storage is a_row = 1, a_col = m);
 * B[b] is [k][n] row-major, or [n][k] when trans_b; b_batch = 0 broadcasts one B (likewise
 * a_batch = 0). bias is 0 or n floats added to every row. scratch holds min(k, KC)·roundup(n, 8)
 * floats (unused when B is plain and n a multiple of 8).
 */
EXPORT("bmm")
void bmm(const float *A, const float *B, const float *bias, float *C, float *scratch, int batch, int m, int k, int n,
         int a_batch, int a_row, int a_col, int b_batch, int trans_b) {
  const int n8 = (n + 7) & ~7;
  const int direct = !trans_b && n8 == n;
  for (int b = 0; b < batch; b++) {
    const float *a = A + b * a_batch;
    const float *bb = B + b * b_batch;
    float *c = C + b * m * n;
    for (int p0 = 0; p0 < k; p0 += KC) {
      const int kc = k - p0 < KC ? k - p0 : KC;
      const int first = p0 == 0;
      const float *panel = direct ? bb + p0 * n : scratch;
      if (!direct && (b == 0 || b_batch != 0 || k > KC)) pack_b(bb, scratch, p0, kc, k, n, n8, trans_b);
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        const float *a0 = a + i * a_row + p0 * a_col;
        float *ci = c + i * n;
        for (int j = 0; j < n8; j += 8) {
          const int cols = n - j;
          v128_t c00, c01, c10, c11, c20, c21, c30, c31;
          START8(ci + j, bias, j, cols, first, c00, c01);
          START8(ci + n + j, bias, j, cols, first, c10, c11);
          START8(ci + 2 * n + j, bias, j, cols, first, c20, c21);
          START8(ci + 3 * n + j, bias, j, cols, first, c30, c31);
          const float *bp = panel + j;
          const float *ap = a0;
          for (int p = 0; p < kc; p++, bp += n8, ap += a_col) {
            const v128_t b0 = wasm_v128_load(bp);
            const v128_t b1 = wasm_v128_load(bp + 4);
            const v128_t x0 = wasm_f32x4_splat(ap[0]);
            const v128_t x1 = wasm_f32x4_splat(ap[a_row]);
            const v128_t x2 = wasm_f32x4_splat(ap[2 * a_row]);
            const v128_t x3 = wasm_f32x4_splat(ap[3 * a_row]);
            BLOCK4X8_FMA(x0, x1, x2, x3, b0, b1);
          }
          store8(ci + j, c00, c01, cols);
          store8(ci + n + j, c10, c11, cols);
          store8(ci + 2 * n + j, c20, c21, cols);
          store8(ci + 3 * n + j, c30, c31, cols);
        }
      }
      for (; i < m; i++) {
        const float *a0 = a + i * a_row + p0 * a_col;
        float *ci = c + i * n;
        for (int j = 0; j < n8; j += 8) {
          const int cols = n - j;
          v128_t c00, c01;
          START8(ci + j, bias, j, cols, first, c00, c01);
          const float *bp = panel + j;
          const float *ap = a0;
          for (int p = 0; p < kc; p++, bp += n8, ap += a_col) {
            const v128_t x0 = wasm_f32x4_splat(ap[0]);
            c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, wasm_v128_load(bp)));
            c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, wasm_v128_load(bp + 4)));
          }
          store8(ci + j, c00, c01, cols);
        }
      }
    }
  }
}
