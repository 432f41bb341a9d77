/*
 * Multi-head attention's core, softmax(Q·Kᵀ·scale (+ causal mask)) with dropout, times V,
 * and its gradient, one (example, head) tile at a time, for tfjs-backend-wasm's heap.
 * Q, K, V and the output stay in their [batch, tokens, heads, dim] layout (rows heads·dim
 * apart), so no transposes split or merge the heads, and each tile's [T][S] weights are
 * used while they sit in cache. The softmax output P is kept for the backward pass; the
 * dropout mask is drawn again from its seed, bit for bit LayerlabDropout's on the whole
 * [batch, heads, T, S] map (norm.c). attention.ts calls it; (example, head) ranges are
 * independent, so threads split them. Same rules as bmm.c.
 */
#include "exp4.h"

#define EXPORT(name) __attribute__((export_name(name)))

/* bmm.c, norm.c, softmax.c */
void gemm(const float *A, int a_row, int a_col, const float *B, int ldb, int trans_b, const float *bias, float *C, int ldc, int m,
          int k, int n, float *scratch, int repack);
void dropout(const float *x, float *y, int n, unsigned base, int threshold, float scale);
void softmax_grad_rows(const float *dy, const float *y, float *dx, int rows, int d);

/*
 * dst = dropout(src) for the n elements that start at element `start` of the whole map:
 * norm.c pairs elements from an even index, so an odd start begins one element early
 * (src[-1] and dst[-1] must be addressable; dst[-1] is overwritten).
 */
static void tile_dropout(const float *src, float *dst, int n, int start, unsigned base, int threshold, float keep) {
  const int shift = start & 1;
  dropout(src - shift, dst - shift, n + shift, base + (unsigned)(start >> 1) * 0x9e3779b9u, threshold, keep);
}

/*
 * Each row of s [T][S]: softmax(s·scale), the causal mask first adding -1e9 where j > i (as
 * the unfused layer does). scale > 0, so the row's maximum is taken before scaling and the
 * scaling rides along the exponential's pass.
 */
static void softmax_tile(float *s, int T, int S, float scale, int causal) {
  const int S4 = S & ~3;
  const v128_t sv = splat(scale);
  for (int i = 0; i < T; i++) {
    float *row = s + i * S;
    int j;
    if (causal) {
      for (j = 0; j < S; j++) row[j] *= scale;
      for (j = i + 1; j < S; j++) row[j] += -1e9f;
    }
    const float rs = causal ? 1.0f : scale; /* what the row still needs multiplying by */
    float m = row[0];
    j = 0;
    if (S4 > 0) {
      v128_t m4 = wasm_v128_load(row);
      for (j = 4; j < S4; j += 4) m4 = wasm_f32x4_pmax(m4, wasm_v128_load(row + j));
      m = hmax(m4);
    }
    for (; j < S; j++) m = row[j] > m ? row[j] : m;
    const v128_t mv = splat(m), rv = causal ? splat(1.0f) : sv;
    /* Two vectors a step, two sums: the exponential's dependent chain bounds a loop of one. */
    v128_t s4 = splat(0.0f), t4 = splat(0.0f);
    for (j = 0; j + 8 <= S4; j += 8) {
      const v128_t e = exp4(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(row + j), mv), rv));
      const v128_t f = exp4(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(row + j + 4), mv), rv));
      wasm_v128_store(row + j, e);
      wasm_v128_store(row + j + 4, f);
      s4 = wasm_f32x4_add(s4, e);
      t4 = wasm_f32x4_add(t4, f);
    }
    for (; j < S4; j += 4) {
      const v128_t e = exp4(wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(row + j), mv), rv));
      wasm_v128_store(row + j, e);
      s4 = wasm_f32x4_add(s4, e);
    }
    float sum = hsum(wasm_f32x4_add(s4, t4));
    for (; j < S; j++) {
      const float e = wasm_f32x4_extract_lane(exp4(splat((row[j] - m) * rs)), 0);
      row[j] = e;
      sum += e;
    }
    const float inv = 1.0f / sum;
    const v128_t iv = splat(inv);
    for (j = 0; j < S4; j += 4) wasm_v128_store(row + j, wasm_f32x4_mul(wasm_v128_load(row + j), iv));
    for (; j < S; j++) row[j] *= inv;
  }
}

/*
 * For (example, head) pairs bh0..bh1 of q [N][T][H][D], k [N][S][H][D], v [N][S][H][DV]:
 * p[bh] = softmax(q·kᵀ·scale) ([N][H][T][S], kept for the gradient) and o [N][T][H][DV] =
 * dropout(p)·v (drop = 0: no dropout). scratch: attention_scratch_floats().
 */
EXPORT("attention_forward")
void attention_forward(const float *q, const float *k, const float *v, float *o, float *p, float *scratch, int bh0, int bh1,
                       int H, int T, int S, int D, int DV, float scale, int causal, int drop, unsigned base, int threshold, float keep) {
  float *pd = scratch + 1;       /* dropped weights, one float of room before */
  float *gs = pd + T * S + T * S + 1;
  for (int bh = bh0; bh < bh1; bh++) {
    const int n = bh / H, h = bh % H;
    const float *qt = q + (n * T * H + h) * D, *kt = k + (n * S * H + h) * D, *vt = v + (n * S * H + h) * DV;
    float *pt = p + bh * T * S;
    gemm(qt, H * D, 1, kt, H * D, 1, 0, pt, S, T, D, S, gs, 1);
    softmax_tile(pt, T, S, scale, causal);
    const float *w = pt;
    if (drop) {
      tile_dropout(pt, pd, T * S, bh * T * S, base, threshold, keep);
      w = pd;
    }
    gemm(w, S, 1, vt, H * DV, 0, 0, o + (n * T * H + h) * DV, H * DV, T, S, DV, gs, 1);
  }
}

/*
 * The gradient for pairs bh0..bh1 given dout [N][T][H][DV] and the forward pass's p:
 * dv = dropout(p)ᵀ·dout, dp = dropout'(dout·vᵀ), ds = p∘(dp - Σ dp∘p)·scale, dq = ds·k,
 * dk = dsᵀ·q (the causal mask's zeros in p zero ds). scratch: attention_scratch_floats().
 */
EXPORT("attention_backward")
void attention_backward(const float *dout, const float *q, const float *k, const float *v, const float *p, float *dq, float *dk,
                        float *dv, float *scratch, int bh0, int bh1, int H, int T, int S, int D, int DV, float scale, int drop,
                        unsigned base, int threshold, float keep) {
  float *pd = scratch + 1;       /* dropped weights, one float of room before */
  float *dp = pd + T * S + 1;    /* the weights' gradient, likewise */
  float *gs = dp + T * S;
  for (int bh = bh0; bh < bh1; bh++) {
    const int n = bh / H, h = bh % H;
    const float *qt = q + (n * T * H + h) * D, *kt = k + (n * S * H + h) * D, *vt = v + (n * S * H + h) * DV;
    const float *dot = dout + (n * T * H + h) * DV;
    const float *pt = p + bh * T * S;
    const float *w = pt;
    if (drop) {
      tile_dropout(pt, pd, T * S, bh * T * S, base, threshold, keep);
      w = pd;
    }
    gemm(dot, H * DV, 1, vt, H * DV, 1, 0, dp, S, T, DV, S, gs, 1);
    gemm(w, 1, S, dot, H * DV, 0, 0, dv + (n * S * H + h) * DV, H * DV, S, T, DV, gs, 1);
    if (drop) tile_dropout(dp, dp, T * S, bh * T * S, base, threshold, keep);
    softmax_grad_rows(dp, pt, dp, T, S);
    const v128_t sv = splat(scale);
    int i = 0;
    for (; i + 4 <= T * S; i += 4) wasm_v128_store(dp + i, wasm_f32x4_mul(wasm_v128_load(dp + i), sv));
    for (; i < T * S; i++) dp[i] *= scale;
    gemm(dp, S, 1, kt, H * D, 0, 0, dq + (n * T * H + h) * D, H * D, T, S, D, gs, 1);
    gemm(dp, 1, S, qt, H * D, 0, 0, dk + (n * S * H + h) * D, H * D, S, T, D, gs, 1);
  }
}

/* Floats of scratch one attention_forward or attention_backward call needs. */
int bmm_scratch_floats(int m, int k, int n);
EXPORT("attention_scratch_floats")
int attention_scratch_floats(int T, int S, int D, int DV) {
  int g = bmm_scratch_floats(T, D, S);
  const int dims[5][3] = {{T, S, DV}, {S, T, DV}, {T, DV, S}, {T, S, D}, {S, T, D}};
  for (int i = 0; i < 5; i++) {
    const int f = bmm_scratch_floats(dims[i][0], dims[i][1], dims[i][2]);
    if (f > g) g = f;
  }
  return 2 * T * S + 2 + g;
}
