/*
 * The per-tile transforms of a Winograd algorithm written once, for the algorithms whose 1-D
 * transforms are macros over arrays of vectors (winograd44.c, winograd3s2.c): each macro below
 * defines one function from an algorithm's sizes and its 1-D transform (a macro ONE_D(x, y)
 * reading x[0..] and writing y[0..]). Every 2-D transform runs down the columns into the
 * scratch T, then along its rows. The arrays stay in registers (fully unrolled); the build
 * refuses any that would not (scripts/build.mjs).
 */
#include "winograd.h"

#define UNROLL _Pragma("clang loop unroll(full)")

/* Row (column) of a tile's input patch: outputs m apart, PT (PL) padding before the map. */
#define WINOGRAD_ORIGIN(m, t, P) ((m) * (t) - (P))

/*
 * EXPORT(name)(w, u, scratch, C, O, c0, c1): u[f][c][O8] = (G g Gᵀ)[f] for each K x K filter
 * g = w[.][.][c][o] (w: [K][K][C][O]), f = N·i + j, the N² matrices u_stride(C, O8) floats
 * apart, for input channels c0 <= c < c1 (threads split them, each with its own scratch);
 * columns O..O8 are 0. O a multiple of 4; scratch: N·K vectors. G: K → N.
 */
#define WINOGRAD_FILTER(name, K, N, G)                                                                  \
  EXPORT(#name)                                                                                         \
  void name(const float *w, float *u, float *scratch, int C, int O, int c0, int c1) {                   \
    const int O8 = ceil8(O), fs = u_stride(C, O8);                                                      \
    const v128_t zero = wasm_f32x4_splat(0);                                                            \
    for (int c = c0; c < c1; c++) {                                                                     \
      for (int o = 0; o < O8; o += 4) {                                                                 \
        float *d = u + c * O8 + o;                                                                      \
        if (o >= O) {                                                                                   \
          for (int f = 0; f < (N) * (N); f++) wasm_v128_store(d + f * fs, zero);                        \
          continue;                                                                                     \
        }                                                                                               \
        /* Columns: scratch[i][k] = (G g)[i][k]. */                                                     \
        UNROLL for (int k = 0; k < (K); k++) {                                                          \
          v128_t x[K], y[N];                                                                            \
          UNROLL for (int i = 0; i < (K); i++) x[i] = wasm_v128_load(w + ((i * (K) + k) * C + c) * O + o); \
          G(x, y);                                                                                      \
          UNROLL for (int i = 0; i < (N); i++) wasm_v128_store(scratch + 4 * ((K) * i + k), y[i]);      \
        }                                                                                               \
        /* Rows: u[N·i + j] = ((G g) Gᵀ)[i][j]. */                                                      \
        UNROLL for (int i = 0; i < (N); i++) {                                                          \
          v128_t x[K], y[N];                                                                            \
          UNROLL for (int k = 0; k < (K); k++) x[k] = wasm_v128_load(scratch + 4 * ((K) * i + k));      \
          G(x, y);                                                                                      \
          UNROLL for (int j = 0; j < (N); j++) wasm_v128_store(d + ((N) * i + j) * fs, y[j]);           \
        }                                                                                               \
      }                                                                                                 \
    }                                                                                                   \
  }

/*
 * A winograd_input_transform `name`: V[f][t][c] = (Bᵀ d B)[f] for the SPAN x SPAN input
 * patch d of each tile, from row ORIGIN(m, th, PT) and column ORIGIN(m, tw, PL) (out-of-range
 * inputs 0), N² components; T: N² vectors, then the zeros that patch rows outside x read (as
 * winograd_transform_inputs). B: SPAN → N.
 */
#define WINOGRAD_INPUTS(name, SPAN, N, ORIGIN, B)                                                       \
  static void name(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) { \
    (void)PT, (void)PL;                                                                                 \
    const v128_t zero = wasm_f32x4_splat(0);                                                            \
    const float *Z = T + 4 * (N) * (N);                                                                 \
    int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;                                          \
    for (int t = 0; t < tn; t++, NEXT_TILE()) {                                                         \
      const int ih = ORIGIN(m, th, PT), iw = ORIGIN(m, tw, PL);                                         \
      const int rows = inside_mask(ih, H, SPAN), cols = inside_mask(iw, W, SPAN);                       \
      /* Each patch row's first input, or Z for a row outside x. */                                     \
      const float *p[SPAN];                                                                             \
      UNROLL for (int k = 0; k < (SPAN); k++) p[k] = (rows >> k) & 1 ? x + ((n * H + ih + k) * W + iw) * C : Z; \
      /* Channels four at a time, the last four overlapping the ones before when C % 4 != 0 (C >= 4). */ \
      for (int c0 = 0; c0 < C; c0 += 4) {                                                              \
        const int c = c0 + 4 <= C ? c0 : C - 4;                                                         \
        float *v = V + t * C + c;                                                                       \
        /* Columns: T[k][l] = (Bᵀ d)[k][l]; a column outside x transforms to 0. */                      \
        UNROLL for (int l = 0; l < (SPAN); l++) {                                                       \
          v128_t d[SPAN], y[N];                                                                         \
          const int col = (cols >> l) & 1;                                                              \
          UNROLL for (int k = 0; k < (SPAN); k++) d[k] = col ? wasm_v128_load(p[k] + l * C + c) : zero;  \
          B(d, y);                                                                                      \
          UNROLL for (int k = 0; k < (N); k++) wasm_v128_store(T + 4 * ((SPAN) * k + l), y[k]);         \
        }                                                                                               \
        /* Rows: V[N·k + j] = (T B)[k][j]. */                                                           \
        UNROLL for (int k = 0; k < (N); k++) {                                                          \
          v128_t d[SPAN], y[N];                                                                         \
          UNROLL for (int l = 0; l < (SPAN); l++) d[l] = wasm_v128_load(T + 4 * ((SPAN) * k + l));      \
          B(d, y);                                                                                      \
          UNROLL for (int j = 0; j < (N); j++) wasm_v128_store(v + ((N) * k + j) * vs, y[j]);           \
        }                                                                                               \
      }                                                                                                 \
    }                                                                                                   \
  }

/* A winograd_output_transform `name`: M x M outputs of a tile (rows x cols of them stored) from its N² products; T: M·N vectors. A: N → M. */
#define WINOGRAD_OUTPUTS(name, N, M, A)                                                                 \
  static void name(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) { \
    UNROLL for (int l = 0; l < (N); l++) {                                                              \
      v128_t x[N], z[M];                                                                                \
      UNROLL for (int k = 0; k < (N); k++) x[k] = wasm_v128_load(m + ((N) * k + l) * ms);               \
      A(x, z);                                                                                          \
      UNROLL for (int i = 0; i < (M); i++) wasm_v128_store(T + 4 * ((N) * i + l), z[i]);                \
    }                                                                                                   \
    for (int k = 0; k < rows; k++) {                                                                    \
      v128_t x[N], z[M];                                                                                \
      UNROLL for (int l = 0; l < (N); l++) x[l] = wasm_v128_load(T + 4 * ((N) * k + l));                \
      A(x, z);                                                                                          \
      float *yk = y + k * OW * O;                                                                       \
      UNROLL for (int j = 0; j < (M); j++)                                                              \
        if (j < cols) wasm_v128_store(yk + j * O, wasm_f32x4_add(b, z[j]));                             \
    }                                                                                                   \
  }

/* A winograd_dy_transform `name`: E = A δ Aᵀ (N² components) of a tile's M x M block δ of dy (0 outside dy or past O); T: N·M vectors. A: M → N. */
#define WINOGRAD_DY(name, M, N, A)                                                                      \
  static void name(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) { \
    const v128_t zero = wasm_f32x4_splat(0);                                                            \
    for (int o = 0; o < O8; o += 4) {                                                                   \
      /* Columns: T[f][j] = (A δ)[f][j]. */                                                             \
      UNROLL for (int j = 0; j < (M); j++) {                                                            \
        v128_t x[M], y[N];                                                                              \
        const int in = j < cols && o < O;                                                               \
        UNROLL for (int i = 0; i < (M); i++) x[i] = in && i < rows ? wasm_v128_load(d + (i * OW + j) * O + o) : zero; \
        A(x, y);                                                                                        \
        UNROLL for (int f = 0; f < (N); f++) wasm_v128_store(T + 4 * ((M) * f + j), y[f]);              \
      }                                                                                                 \
      /* Rows: E[N·f + g] = (T Aᵀ)[f][g]. */                                                            \
      UNROLL for (int f = 0; f < (N); f++) {                                                            \
        v128_t x[M], y[N];                                                                              \
        UNROLL for (int j = 0; j < (M); j++) x[j] = wasm_v128_load(T + 4 * ((M) * f + j));              \
        A(x, y);                                                                                        \
        UNROLL for (int g = 0; g < (N); g++) wasm_v128_store(e + ((N) * f + g) * es + o, y[g]);         \
      }                                                                                                 \
    }                                                                                                   \
  }

/*
 * EXPORT(name)(p0, parts, stride, dw, scratch, C, O, c0, c1): dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw]
 * (K x K) of P = the sum of `parts` filter-gradient sums ([N²][C][O8] each), the first at p0
 * and each `stride` floats after the last, for input channels c0 <= c < c1 (threads split them,
 * each with its own scratch). O a multiple of 4; scratch: K·N vectors. GT: N → K.
 */
#define WINOGRAD_FINISH(name, N, K, GT)                                                                 \
  EXPORT(#name)                                                                                         \
  void name(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O, int c0, int c1) { \
    const int O8 = ceil8(O);                                                                            \
    winograd_sum_rows(p0, parts, stride, (N) * (N), C, O8, c0, c1);                                     \
    for (int c = c0; c < c1; c++) {                                                                     \
      for (int o = 0; o < O; o += 4) {                                                                  \
        /* Columns: scratch[k][j] = (Gᵀ P)[k][j]. */                                                    \
        UNROLL for (int j = 0; j < (N); j++) {                                                          \
          v128_t x[N], y[K];                                                                            \
          UNROLL for (int i = 0; i < (N); i++) x[i] = wasm_v128_load(p0 + (((N) * i + j) * C + c) * O8 + o); \
          GT(x, y);                                                                                     \
          UNROLL for (int k = 0; k < (K); k++) wasm_v128_store(scratch + 4 * ((N) * k + j), y[k]);      \
        }                                                                                               \
        /* Rows: dW[k][l] = (Gᵀ P G)[k][l]. */                                                          \
        UNROLL for (int k = 0; k < (K); k++) {                                                          \
          v128_t x[N], y[K];                                                                            \
          UNROLL for (int j = 0; j < (N); j++) x[j] = wasm_v128_load(scratch + 4 * ((N) * k + j));      \
          GT(x, y);                                                                                     \
          UNROLL for (int l = 0; l < (K); l++) wasm_v128_store(dw + ((k * (K) + l) * C + c) * O + o, y[l]); \
        }                                                                                               \
      }                                                                                                 \
    }                                                                                                   \
  }
