/*
 * Batch norm (training), layer norm, column sums and dropout for tfjs-backend-wasm's heap, with
 * WASM SIMD: the same arithmetic as batchNormTrain.ts, layerNorm.ts, reduceLeading.ts and
 * dropout.ts (which keep a plain
 * JS version for builds without clang), four lanes at a time. Channel and feature counts
 * must be multiples of 4 (callers check). Per-channel sums run in float32 over chunks of 256
 * rows and are added up in float64. Same rules as bmm.c: no state, no stack frame; `acc`
 * arguments are caller scratch.
 */
#include "lanes.h"

#define EXPORT(name) __attribute__((export_name(name)))
#define CHUNK 256

/* acc64[c] += acc32[c]; acc32[c] = 0 for c < C. */
static void flush(float *acc32, double *acc64, int C) {
  for (int c = 0; c < C; c++) {
    acc64[c] += acc32[c];
    acc32[c] = 0.0f;
  }
}

/*
 * Batch norm in phases, so that threads can split the rows (batchNormTrain.ts): per-channel
 * sums of a slice of rows, a finish over every slice's sums (one thread), then the pass that
 * writes each row. A part's sums are 2·C doubles at `t` (8-byte aligned), after 2·C floats
 * of its scratch at `acc`.
 */

/*
 * Forward sums of rows [0, rows) of x (a slice): Σ(x - shift) and Σ(x - shift)² per channel,
 * shifted by the first row of the whole input so that large means do not cancel.
 */
EXPORT("bn_forward_sums")
void bn_forward_sums(const float *x, const float *shift, int rows, int C, float *acc, double *t) {
  float *s1 = acc, *s2 = acc + C;
  double *t1 = t, *t2 = t + C;
  for (int c = 0; c < C; c++) s1[c] = s2[c] = 0.0f, t1[c] = t2[c] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += CHUNK) {
    const int r1 = r0 + CHUNK < rows ? r0 + CHUNK : rows;
    for (int r = r0; r < r1; r++) {
      const float *xr = x + r * C;
      for (int c = 0; c < C; c += 4) {
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(xr + c), wasm_v128_load(shift + c));
        wasm_v128_store(s1 + c, wasm_f32x4_add(wasm_v128_load(s1 + c), d));
        wasm_v128_store(s2 + c, wasm_f32x4_add(wasm_v128_load(s2 + c), wasm_f32x4_mul(d, d)));
      }
    }
    flush(s1, t1, C);
    flush(s2, t2, C);
  }
}

/*
 * y = x·k + b's k = γ/√(var + ε) and b = β - μ·k per channel, from the float32 batch mean and
 * variance: the forward's, and the backward's when it recomputes where y was rectified.
 */
EXPORT("bn_coefficients")
void bn_coefficients(const float *gamma, const float *beta, const float *mean, const float *var, float eps, int C, float *k, float *b) {
  for (int c = 0; c < C; c++) {
    const float kc = gamma[c] / __builtin_sqrtf(var[c] + eps);
    k[c] = kc;
    b[c] = beta[c] - mean[c] * kc;
  }
}

/* The forward's statistics from `parts` slices' sums (`stride` doubles apart): mean and biased variance per channel, then k and b (bn_coefficients). */
EXPORT("bn_forward_finish")
void bn_forward_finish(const double *t, int parts, int stride, const float *shift, const float *gamma, const float *beta, float eps,
                       int rows, int C, float *mean, float *var, float *k, float *b) {
  for (int c = 0; c < C; c++) {
    double t1 = 0.0, t2 = 0.0;
    for (int p = 0; p < parts; p++) t1 += t[p * stride + c], t2 += t[p * stride + C + c];
    const double m = t1 / rows;
    double v = t2 / rows - m * m;
    if (v < 0) v = 0;
    mean[c] = (float)(shift[c] + m);
    var[c] = (float)v;
  }
  bn_coefficients(gamma, beta, mean, var, eps, C, k, b);
}

/* x·k + b for channels c..c+3 of element i: the forward's value before the ReLU. */
static inline v128_t normalized(const float *x, const float *k, const float *b, int i, int c) {
  return wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(k + c)), wasm_v128_load(b + c));
}

/* y = x·k + b over rows [0, rows) of a slice, rectified when `relu` is set (y < 0 becomes 0; NaN stays). */
EXPORT("bn_forward_rows")
void bn_forward_rows(const float *x, const float *k, const float *b, float *y, int rows, int C, int relu) {
  const v128_t zero = splat(0.0f);
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < C; c += 4) {
      const v128_t v = normalized(x, k, b, r * C + c, c);
      wasm_v128_store(y + r * C + c, relu ? wasm_f32x4_pmax(v, zero) : v); /* pmax(v, 0): v < 0 ? 0 : v */
    }
  }
}

/* dy where the rectified output y > 0, 0 where y is 0, NaN where y is NaN (as act_grad's relu); y > 0 and NaN exactly where v = x·k + b is. */
static inline v128_t rectify(v128_t g, v128_t v) {
  return wasm_v128_or(wasm_v128_and(g, wasm_f32x4_gt(v, splat(0.0f))), wasm_v128_and(v, wasm_f32x4_ne(v, v)));
}

/*
 * dy at element i (channels c..c+3), masked where the forward's ReLU was when kf is non-null
 * (batch norm + ReLU): its pre-ReLU value recomputed from x with the forward's coefficients kf
 * and kf + C (bn_coefficients, bit for bit), since x is read anyway, rather than read from the
 * saved output, a third stream (128 images of 32x32x16, caches flushed, one thread: 1.81-2.03
 * → 1.74-1.77 ms a gradient; 16x16x32 0.96-1.07 → 0.90-0.94; the unmasked gradient takes
 * ~1.3 and ~0.7, the masking's arithmetic now being the difference).
 */
static inline v128_t grad_at(const float *dy, const float *x, const float *kf, int C, int i, int c) {
  return kf ? rectify(wasm_v128_load(dy + i), normalized(x, kf, kf + C, i, c)) : wasm_v128_load(dy + i);
}

/* Backward sums of a slice: Σdy and Σdy·(x - μ) per channel (dy masked as grad_at when kf is non-null). */
EXPORT("bn_backward_sums")
void bn_backward_sums(const float *dy, const float *x, const float *mean, const float *kf, int rows, int C, float *acc, double *t) {
  float *s1 = acc, *s2 = acc + C;
  double *t1 = t, *t2 = t + C;
  for (int c = 0; c < C; c++) s1[c] = s2[c] = 0.0f, t1[c] = t2[c] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += CHUNK) {
    const int r1 = r0 + CHUNK < rows ? r0 + CHUNK : rows;
    for (int r = r0; r < r1; r++) {
      for (int c = 0; c < C; c += 4) {
        const v128_t g = grad_at(dy, x, kf, C, r * C + c, c);
        const v128_t d = wasm_f32x4_sub(wasm_v128_load(x + r * C + c), wasm_v128_load(mean + c));
        wasm_v128_store(s1 + c, wasm_f32x4_add(wasm_v128_load(s1 + c), g));
        wasm_v128_store(s2 + c, wasm_f32x4_add(wasm_v128_load(s2 + c), wasm_f32x4_mul(g, d)));
      }
    }
    flush(s1, t1, C);
    flush(s2, t2, C);
  }
}

/*
 * The backward's coefficients from the slices' sums: dx = dy·k + x·a + b per channel (the
 * gradients of the mean and variance outputs join a and b when dmean / dvar are non-null),
 * dγ = r·Σdy(x - μ), dβ = Σdy.
 */
EXPORT("bn_backward_finish")
void bn_backward_finish(const double *t, int parts, int stride, const float *gamma, const float *mean, const float *var, float eps,
                        const float *dmean, const float *dvar, int rows, int C, float *k, float *a, float *b, float *dgamma, float *dbeta) {
  for (int c = 0; c < C; c++) {
    double t1 = 0.0, t2 = 0.0;
    for (int p = 0; p < parts; p++) t1 += t[p * stride + c], t2 += t[p * stride + C + c];
    const double r = 1.0 / __builtin_sqrt((double)var[c] + eps);
    const double kc = gamma[c] * r;
    double ac = -kc * r * r * t2 / rows;
    double bc = -kc * t1 / rows;
    if (dvar) ac += 2.0 * dvar[c] / rows;
    if (dmean) bc += (double)dmean[c] / rows;
    k[c] = (float)kc;
    a[c] = (float)ac;
    b[c] = (float)(bc - ac * mean[c]);
    dgamma[c] = (float)(r * t2);
    dbeta[c] = (float)t1;
  }
}

/* dx = dy·k + x·a + b over the rows of a slice (dy masked as grad_at when kf is non-null). */
EXPORT("bn_backward_rows")
void bn_backward_rows(const float *dy, const float *x, const float *kf, const float *k, const float *a, const float *b, float *dx, int rows, int C) {
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < C; c += 4) {
      const int i = r * C + c;
      const v128_t v = wasm_f32x4_add(wasm_f32x4_mul(grad_at(dy, x, kf, C, i, c), wasm_v128_load(k + c)),
                                      wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(a + c)), wasm_v128_load(b + c)));
      wasm_v128_store(dx + i, v);
    }
  }
}

/* Layer norm over the last axis (D features per row): y = (x - μ)·r·γ + β; saves μ and r per row. */
EXPORT("ln_forward")
void ln_forward(const float *x, const float *gamma, const float *beta, float eps, float *y, float *mean, float *rstd, int rows, int D) {
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * D;
    v128_t s = wasm_f32x4_splat(0);
    for (int d = 0; d < D; d += 4) s = wasm_f32x4_add(s, wasm_v128_load(xr + d));
    const float m = hsum(s) / D;
    const v128_t mv = wasm_f32x4_splat(m);
    v128_t q = wasm_f32x4_splat(0);
    for (int d = 0; d < D; d += 4) {
      const v128_t c = wasm_f32x4_sub(wasm_v128_load(xr + d), mv);
      q = wasm_f32x4_add(q, wasm_f32x4_mul(c, c));
    }
    const float rs = 1.0f / __builtin_sqrtf(hsum(q) / D + eps);
    mean[r] = m;
    rstd[r] = rs;
    const v128_t rv = wasm_f32x4_splat(rs);
    float *yr = y + r * D;
    for (int d = 0; d < D; d += 4) {
      const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + d), mv), rv);
      wasm_v128_store(yr + d, wasm_f32x4_add(wasm_f32x4_mul(xh, wasm_v128_load(gamma + d)), wasm_v128_load(beta + d)));
    }
  }
}

/*
 * Layer-norm backward: x̂ = (x - μ)·r, g = dy·γ, dx = r·(g - mean(g) - x̂·mean(g·x̂)),
 * dγ = Σ_rows dy·x̂, dβ = Σ_rows dy. acc: 2·D floats then 2·D doubles.
 */
EXPORT("ln_backward")
void ln_backward(const float *dy, const float *x, const float *gamma, const float *mean, const float *rstd, float *dx,
                 float *dgamma, float *dbeta, int rows, int D, float *acc) {
  float *sg = acc, *sb = acc + D;
  double *tg = (double *)(acc + 2 * D), *tb = tg + D;
  for (int d = 0; d < D; d++) sg[d] = sb[d] = 0.0f, tg[d] = tb[d] = 0.0;
  for (int r0 = 0; r0 < rows; r0 += CHUNK) {
    const int r1 = r0 + CHUNK < rows ? r0 + CHUNK : rows;
    for (int r = r0; r < r1; r++) {
      const float *xr = x + r * D, *gr = dy + r * D;
      const v128_t mv = wasm_f32x4_splat(mean[r]), rv = wasm_f32x4_splat(rstd[r]);
      v128_t s1 = wasm_f32x4_splat(0), s2 = wasm_f32x4_splat(0);
      for (int d = 0; d < D; d += 4) {
        const v128_t g = wasm_v128_load(gr + d);
        const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + d), mv), rv);
        wasm_v128_store(sg + d, wasm_f32x4_add(wasm_v128_load(sg + d), wasm_f32x4_mul(g, xh)));
        wasm_v128_store(sb + d, wasm_f32x4_add(wasm_v128_load(sb + d), g));
        const v128_t gg = wasm_f32x4_mul(g, wasm_v128_load(gamma + d));
        s1 = wasm_f32x4_add(s1, gg);
        s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(gg, xh));
      }
      const v128_t m1 = wasm_f32x4_splat(hsum(s1) / D), m2 = wasm_f32x4_splat(hsum(s2) / D);
      float *o = dx + r * D;
      for (int d = 0; d < D; d += 4) {
        const v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + d), mv), rv);
        const v128_t gg = wasm_f32x4_mul(wasm_v128_load(gr + d), wasm_v128_load(gamma + d));
        wasm_v128_store(o + d, wasm_f32x4_mul(rv, wasm_f32x4_sub(wasm_f32x4_sub(gg, m1), wasm_f32x4_mul(xh, m2))));
      }
    }
    flush(sg, tg, D);
    flush(sb, tb, D);
  }
  for (int d = 0; d < D; d++) dgamma[d] = (float)tg[d], dbeta[d] = (float)tb[d];
}

/* t[0..4) += the lanes of a. */
static inline void add_lanes(double *t, v128_t a) {
  t[0] += wasm_f32x4_extract_lane(a, 0), t[1] += wasm_f32x4_extract_lane(a, 1);
  t[2] += wasm_f32x4_extract_lane(a, 2), t[3] += wasm_f32x4_extract_lane(a, 3);
}

/*
 * col_sum's sums for C ≤ 16 with the running float32 sums in registers, the same additions in
 * the same order: kept in memory, each row's add waited on the previous row's store (LeNet's
 * and ResNet-18's bias gradients, 6 and 16 channels).
 */
static void col_sum_narrow(const float *x, int rows, int C, double *t) {
  const v128_t zero = splat(0.0f);
  for (int r0 = 0; r0 < rows; r0 += CHUNK) {
    const int r1 = r0 + CHUNK < rows ? r0 + CHUNK : rows;
    v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero;
    for (int r = r0; r < r1; r++) {
      const float *xr = x + r * C;
      a0 = wasm_f32x4_add(a0, wasm_v128_load(xr));
      if (C > 4) a1 = wasm_f32x4_add(a1, wasm_v128_load(xr + 4));
      if (C > 8) a2 = wasm_f32x4_add(a2, wasm_v128_load(xr + 8));
      if (C > 12) a3 = wasm_f32x4_add(a3, wasm_v128_load(xr + 12));
    }
    add_lanes(t, a0);
    if (C > 4) add_lanes(t + 4, a1);
    if (C > 8) add_lanes(t + 8, a2);
    if (C > 12) add_lanes(t + 12, a3);
  }
}

/* out[c] = scale · Σ_r x[r][c] over rows × C (column sums: bias gradients, statistics). acc: C floats then C doubles. */
EXPORT("col_sum")
void col_sum(const float *x, float *out, float scale, int rows, int C, float *acc) {
  double *t = (double *)(acc + C + (C & 1));
  for (int c = 0; c < C; c++) acc[c] = 0.0f, t[c] = 0.0;
  if (C <= 16) {
    col_sum_narrow(x, rows, C, t);
    for (int c = 0; c < C; c++) out[c] = (float)(t[c] * scale);
    return;
  }
  for (int r0 = 0; r0 < rows; r0 += CHUNK) {
    const int r1 = r0 + CHUNK < rows ? r0 + CHUNK : rows;
    for (int r = r0; r < r1; r++) {
      const float *xr = x + r * C;
      for (int c = 0; c < C; c += 4) wasm_v128_store(acc + c, wasm_f32x4_add(wasm_v128_load(acc + c), wasm_v128_load(xr + c)));
    }
    flush(acc, t, C);
  }
  for (int c = 0; c < C; c++) out[c] = (float)(t[c] * scale);
}

/*
 * Dropout: element pair i>>1 takes murmur3's finaliser of base + (i>>1)·0x9e3779b9; element
 * i is kept when its 16-bit half (low for even i) is below `threshold` and then scaled by
 * `scale`. Bit for bit the mask dropout.ts computes in JS. The mask is never stored: the
 * gradient runs this again on dy.
 */
EXPORT("dropout")
void dropout(const float *x, float *y, int n, unsigned base, int threshold, float scale) {
  const v128_t golden = wasm_i32x4_splat((int)0x9e3779b9);
  const v128_t c1 = wasm_i32x4_splat((int)0x85ebca6b), c2 = wasm_i32x4_splat((int)0xc2b2ae35);
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  const v128_t thr = wasm_i32x4_splat(threshold);
  const v128_t low = wasm_i32x4_splat(0xffff);
  const v128_t sc = wasm_f32x4_splat(scale);
  int i = 0;
  /* Pair j's counter base + j·golden, stepped by an add (four pairs a step) rather than a multiply. */
  v128_t counter = wasm_i32x4_add(wasm_i32x4_splat((int)base), wasm_i32x4_mul(lanes, golden));
  const v128_t step = wasm_i32x4_splat((int)(4u * 0x9e3779b9u));
  /* Eight elements (four pairs) per step. */
  for (; i + 8 <= n; i += 8, counter = wasm_i32x4_add(counter, step)) {
    v128_t h = wasm_i32x4_mul(wasm_v128_xor(counter, wasm_u32x4_shr(counter, 16)), c1);
    h = wasm_i32x4_mul(wasm_v128_xor(h, wasm_u32x4_shr(h, 13)), c2);
    h = wasm_v128_xor(h, wasm_u32x4_shr(h, 16));
    /* keep = half < threshold (both halves are in 0..65535, so a signed compare is fine). */
    const v128_t k0 = wasm_i32x4_lt(wasm_v128_and(h, low), thr);
    const v128_t k1 = wasm_i32x4_lt(wasm_u32x4_shr(h, 16), thr);
    /* Interleave: element 2j uses pair j's low half, element 2j+1 its high half. */
    const v128_t m01 = wasm_i32x4_shuffle(k0, k1, 0, 4, 1, 5);
    const v128_t m23 = wasm_i32x4_shuffle(k0, k1, 2, 6, 3, 7);
    const v128_t f01 = wasm_v128_and(m01, sc), f23 = wasm_v128_and(m23, sc);
    wasm_v128_store(y + i, wasm_f32x4_mul(wasm_v128_load(x + i), f01));
    wasm_v128_store(y + i + 4, wasm_f32x4_mul(wasm_v128_load(x + i + 4), f23));
  }
  for (; i < n; i += 2) {
    unsigned h = base + (unsigned)(i >> 1) * 0x9e3779b9u;
    h = (h ^ (h >> 16)) * 0x85ebca6bu;
    h = (h ^ (h >> 13)) * 0xc2b2ae35u;
    h ^= h >> 16;
    const float m0 = (int)(h & 0xffff) < threshold ? scale : 0.0f;
    y[i] = x[i] * m0;
    if (i + 1 < n) {
      const float m1 = (int)(h >> 16) < threshold ? scale : 0.0f;
      y[i + 1] = x[i + 1] * m1;
    }
  }
}
