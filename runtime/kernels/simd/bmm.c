/*
 * Batched single-precision matrix products for tfjs-backend-wasm's heap, with WASM SIMD.
 *
 * Built by scripts/build.mjs (clang --target=wasm32, -msimd128) into a module that imports
 * the backend's own memory, so it reads and writes tensors in place. It keeps no state,
 * no globals and no stack frame (nothing here takes an address), so it never touches
 * memory it was not handed. runtime/kernels/simdModule.ts loads it; batchMatMul.ts calls it.
 *
 * The usual GEMM packing: a slice of KC rows of the contraction at a time, B's slice copied
 * into 8-column panels ([n8/8][kc][8]) and, when A is read transposed, A's slice into
 * 4-row panels ([m/4][kc][4]), so that the 4x8 register block streams through both in
 * order from L1 while every block of C visits the slice.
 */
#include "block4x8.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* Rows of the contraction per pass over C: a slice of A and B stays in cache. */
#define KC 256

/*
 * dst[jb][p][0..8) = B[p0 + p][8·jb ..] for p < kc, zero-padded past n; B's rows are ldb apart
 * (or, when trans_b, B is stored [n][k] with rows ldb apart).
 */
static void pack_b(const float *B, float *dst, int p0, int kc, int ldb, int n, int trans_b) {
  const int n8 = (n + 7) & ~7;
  for (int jb = 0; jb < n8; jb += 8) {
    float *panel = dst + jb * kc;
    const int cols = n - jb < 8 ? n - jb : 8;
    for (int p = 0; p < kc; p++) {
      float *row = panel + p * 8;
      int j = 0;
      if (trans_b) {
        for (; j < cols; j++) row[j] = B[(jb + j) * ldb + p0 + p];
      } else if (cols == 8) {
        wasm_v128_store(row, wasm_v128_load(B + (p0 + p) * ldb + jb));
        wasm_v128_store(row + 4, wasm_v128_load(B + (p0 + p) * ldb + jb + 4));
        continue;
      } else {
        for (; j < cols; j++) row[j] = B[(p0 + p) * ldb + jb + j];
      }
      for (; j < 8; j++) row[j] = 0.0f;
    }
  }
}

/* dst[ib][p][0..4) = A[4·ib ..][p0 + p] for the full 4-row blocks, when A is read transposed (a_row = 1). */
static void pack_a_transposed(const float *A, float *dst, int p0, int kc, int m4, int a_col) {
  for (int ib = 0; ib < m4; ib += 4) {
    float *panel = dst + ib * kc;
    const float *src = A + ib + p0 * a_col;
    for (int p = 0; p < kc; p++, src += a_col) wasm_v128_store(panel + p * 4, wasm_v128_load(src));
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
 * C (m×n, rows ldc apart) = A · B (+ bias) for one matrix: A[i][p] at A + i·a_row + p·a_col;
 * B [k][n] with rows ldb apart, or [n][k] when trans_b; bias 0 or n floats. repack = 0 reuses
 * the B panels already in scratch (the same B as the previous call, k ≤ KC). scratch holds
 * bmm_scratch_floats(m, k, n). Also what attention.c multiplies its tiles with.
 */
void gemm(const float *A, int a_row, int a_col, const float *B, int ldb, int trans_b, const float *bias, float *C, int ldc,
          int m, int k, int n, float *scratch, int repack) {
  const int n8 = (n + 7) & ~7;
  const int m4 = m & ~3;
  const int kmax = k < KC ? k : KC;
  float *bpack = scratch;              /* [n8/8][kc][8] */
  float *apack = scratch + n8 * kmax;  /* [m4/4][kc][4], transposed A only */
  const int pack_a = a_row == 1 && m4 > 0;
  for (int p0 = 0; p0 < k; p0 += KC) {
    const int kc = k - p0 < KC ? k - p0 : KC;
    const int first = p0 == 0;
    if (repack || k > KC) pack_b(B, bpack, p0, kc, ldb, n, trans_b);
    if (pack_a) pack_a_transposed(A, apack, p0, kc, m4, a_col);
    for (int i = 0; i < m4; i += 4) {
      float *ci = C + i * ldc;
      for (int j = 0; j < n8; j += 8) {
        const int cols = n - j;
        v128_t c00, c01, c10, c11, c20, c21, c30, c31;
        START8(ci + j, bias, j, cols, first, c00, c01);
        START8(ci + ldc + j, bias, j, cols, first, c10, c11);
        START8(ci + 2 * ldc + j, bias, j, cols, first, c20, c21);
        START8(ci + 3 * ldc + j, bias, j, cols, first, c30, c31);
        const float *bp = bpack + j * kc;
        if (pack_a) {
          const float *ap = apack + i * kc;
          for (int p = 0; p < kc; p++, bp += 8, ap += 4) {
            const v128_t b0 = wasm_v128_load(bp);
            const v128_t b1 = wasm_v128_load(bp + 4);
            BLOCK4X8_FMA(wasm_v128_load32_splat(ap), wasm_v128_load32_splat(ap + 1), wasm_v128_load32_splat(ap + 2),
                         wasm_v128_load32_splat(ap + 3), b0, b1);
          }
        } else {
          const float *ap = A + i * a_row + p0 * a_col;
          for (int p = 0; p < kc; p++, bp += 8, ap += a_col) {
            const v128_t b0 = wasm_v128_load(bp);
            const v128_t b1 = wasm_v128_load(bp + 4);
            BLOCK4X8_FMA(wasm_f32x4_splat(ap[0]), wasm_f32x4_splat(ap[a_row]), wasm_f32x4_splat(ap[2 * a_row]),
                         wasm_f32x4_splat(ap[3 * a_row]), b0, b1);
          }
        }
        STORE4X8(ci + j, ldc, cols, 4);
      }
    }
    for (int i = m4; i < m; i++) {
      const float *a0 = A + i * a_row + p0 * a_col;
      float *ci = C + i * ldc;
      for (int j = 0; j < n8; j += 8) {
        const int cols = n - j;
        v128_t c00, c01;
        START8(ci + j, bias, j, cols, first, c00, c01);
        const float *bp = bpack + j * kc;
        const float *ap = a0;
        for (int p = 0; p < kc; p++, bp += 8, ap += a_col) {
          const v128_t x0 = wasm_f32x4_splat(ap[0]);
          c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, wasm_v128_load(bp)));
          c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, wasm_v128_load(bp + 4)));
        }
        store8(ci + j, c00, c01, cols);
      }
    }
  }
}

/*
 * C[b] (m×n, row-major) = A[b] · B[b] (+ bias) for b < batch.
 * A[b][i][p] sits at A + b·a_batch + i·a_row + p·a_col (so Aᵀ storage is a_row = 1, a_col = m);
 * B[b] is [k][n] row-major, or [n][k] when trans_b; b_batch = 0 broadcasts one B (likewise
 * a_batch = 0). bias is 0 or n floats added to every row. scratch holds bmm_scratch_floats().
 */
EXPORT("bmm")
void bmm(const float *A, const float *B, const float *bias, float *C, float *scratch, int batch, int m, int k, int n,
         int a_batch, int a_row, int a_col, int b_batch, int trans_b) {
  for (int b = 0; b < batch; b++)
    gemm(A + b * a_batch, a_row, a_col, B + b * b_batch, trans_b ? k : n, trans_b, bias, C + b * m * n, n, m, k, n, scratch,
         b == 0 || b_batch != 0);
}

/* Floats of scratch one bmm call needs. */
EXPORT("bmm_scratch_floats")
int bmm_scratch_floats(int m, int k, int n) {
  const int kmax = k < KC ? k : KC;
  return (((n + 7) & ~7) + (m & ~3)) * kmax;
}
