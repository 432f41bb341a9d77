/*
 * 5x5 convolutions of one input channel into 4 to 8 (LeNet's first layer on grayscale images),
 * unit stride, by Winograd's F(4, 5) along rows: the filter gradient, and the forward pass
 * (rows45_forward, at the end). A row of four
 * outputs y[j] = Σ_k w[k]·d[j + k] of an 8-input segment d is Aᵀ[(G w) ⊙ (Bᵀ d)] at 8 points
 * (0, ±1, ±2, ±1/2, ∞), so a filter row's gradient over it is Gᵀ[(A δ) ⊙ (Bᵀ d)] with δ the
 * four outputs' gradient: 8 products where the direct form takes 20, and Gᵀ applies once, to
 * the sums over every segment, row and image. Over 2-D maps, filter row kh meets input row
 * oh + kh, so P[kh][f][o] = Σ_{n, oh, s} X[oh + kh][s][f] · D[oh][s][f][o], X = Bᵀ d of the
 * padded input row's segment s, D = A δ of the gradient's, and dW[kh] = Gᵀ P[kh].
 *
 * Lanes: D runs along output channels (two vectors: 0-3 and O-4..O-1, overlapping when O < 8),
 * X's values are broadcast; X is transformed four padded rows at a time (lanes along rows).
 * The transforms: rows45.h.
 *
 * 30 products an output position for LeNet's six channels (two vectors by 5 rows by 8 points
 * over 4 positions) where the direct kernel takes 50 (25 taps by 8 lanes over 4 channels).
 * Same rules as conv.c: no state, no stack frame, only the memory handed in.
 */
#include "rows45.h"
#include "winograd.h"

static inline int rows45_even(int OH) { return (OH + 1) & ~1; }
static inline int rows45_rows(int OH) { return (rows45_even(OH) + 4 + 3) & ~3; }

/*
 * One call's scratch (rows45_scratch_floats): 80 vectors first (the gradient's sums P, the
 * forward's transformed filter U), then X, the gradient's D or the forward's M, a row group's
 * columns, and zeros for rows outside the input (cleared here).
 */
typedef struct { float *head, *X, *DM, *col, *Z; } rows45_scratch;
static inline __attribute__((always_inline)) rows45_scratch rows45_layout(float *scratch, int S, int R, int OHe) {
  rows45_scratch s;
  s.head = scratch;
  s.X = s.head + 5 * 8 * 2 * 4;
  s.DM = s.X + 8 * S * R;
  s.col = s.DM + 8 * 2 * S * OHe * 4;
  s.Z = s.col + (4 * S + 4) * 4;
  __builtin_memset(s.Z, 0, sizeof(float) * (4 * S + 4));
  return s;
}

/* Floats of scratch one call of rows45_filter_grad or rows45_forward needs (see rows45_layout). */
EXPORT("rows45_scratch_floats")
int rows45_scratch_floats(int OH, int OW) {
  const int S = rows45_segments(OW), cols = 4 * S + 4;
  return 5 * 8 * 2 * 4 + 8 * S * rows45_rows(OH) + 8 * 2 * S * rows45_even(OH) * 4 + cols * 4 + cols;
}

/*
 * X[f][s][r] for padded rows r < R of one image x (H x W; input row r - PT, column c - PL,
 * zero outside), S segments of 8 columns 4 apart. col: 4S + 4 vectors of scratch, Z: as many
 * zeros as columns (rows outside x read them).
 */
static void transform_x(const float *x, float *X, float *col, const float *Z, int H, int W, int S, int R, int PT, int PL) {
  const int cols = 4 * S + 4;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int r0 = 0; r0 < R; r0 += 4) {
    /* Each row's column 0 (that is, input column -PL), or the zeros. */
    const int ih = r0 - PT;
    const float *p0 = ih >= 0 && ih < H ? x + ih * W - PL : Z - PL;
    const float *p1 = ih + 1 >= 0 && ih + 1 < H ? x + (ih + 1) * W - PL : Z - PL;
    const float *p2 = ih + 2 >= 0 && ih + 2 < H ? x + (ih + 2) * W - PL : Z - PL;
    const float *p3 = ih + 3 >= 0 && ih + 3 < H ? x + (ih + 3) * W - PL : Z - PL;
    /* Four columns at a time by a 4x4 transpose where all four lie inside x, else one by one. */
    int c = 0;
    for (; c < cols && c < PL; c++) wasm_v128_store(col + 4 * c, zero);
    for (; c + 4 <= PL + W && c + 4 <= cols; c += 4) {
      v128_t t0, t1, t2, t3;
      TRANSPOSE4(wasm_v128_load(p0 + c), wasm_v128_load(p1 + c), wasm_v128_load(p2 + c), wasm_v128_load(p3 + c), t0, t1, t2, t3);
      wasm_v128_store(col + 4 * c, t0), wasm_v128_store(col + 4 * c + 4, t1), wasm_v128_store(col + 4 * c + 8, t2), wasm_v128_store(col + 4 * c + 12, t3);
    }
    for (; c < cols; c++) wasm_v128_store(col + 4 * c, c < PL + W ? wasm_f32x4_make(p0[c], p1[c], p2[c], p3[c]) : zero);
    for (int s = 0; s < S; s++) {
      const float *d = col + 16 * s;
      const v128_t d0 = wasm_v128_load(d), d1 = wasm_v128_load(d + 4), d2 = wasm_v128_load(d + 8), d3 = wasm_v128_load(d + 12);
      const v128_t d4 = wasm_v128_load(d + 16), d5 = wasm_v128_load(d + 20), d6 = wasm_v128_load(d + 24), d7 = wasm_v128_load(d + 28);
      ROWS45_BT_STORE(d0, d1, d2, d3, d4, d5, d6, d7, X + s * R + r0, S * R);
    }
  }
}

/*
 * D[f][v][s][oh] (vectors) for output rows oh < OHe of one image's dy (OH x OW x O; rows past
 * OH and columns past OW 0): vector v holds channels 0-3 (v = 0) or o1..o1+3 (v = 1).
 */
static void transform_dy(const float *dy, float *D, int S, int OH, int OHe, int OW, int O, int o1) {
  const v128_t zero = wasm_f32x4_splat(0);
  const int fs = 2 * S * OHe * 4; /* from one point's D to the next */
  const int whole = OW / 4;        /* segments with four columns inside */
  for (int oh = 0; oh < OHe; oh++) {
    for (int v = 0; v < 2; v++) {
      const float *d = dy + oh * OW * O + (v ? o1 : 0);
      float *q = D + (v * S * OHe + oh) * 4;
      int s = 0;
      if (oh < OH)
        for (; s < whole; s++, d += 4 * O, q += OHe * 4) ROWS45_A_STORE(wasm_v128_load(d), wasm_v128_load(d + O), wasm_v128_load(d + 2 * O), wasm_v128_load(d + 3 * O), q, fs);
      for (; s < S; s++, d += 4 * O, q += OHe * 4) {
        const int cols = oh < OH ? OW - 4 * s : 0;
        const v128_t e0 = cols > 0 ? wasm_v128_load(d) : zero, e1 = cols > 1 ? wasm_v128_load(d + O) : zero, e2 = cols > 2 ? wasm_v128_load(d + 2 * O) : zero;
        ROWS45_A_STORE(e0, e1, e2, zero, q, fs);
      }
    }
  }
}

/*
 * P[kh][f][v] += Σ_{s, oh} X[f][s][oh + kh] · D[f][v][s][oh]: per point and vector, five
 * accumulators over rows two at a time. Meanwhile loads la 64-byte lines from ta and lb from tb
 * (the next image's dy and x) into cache, a share per pass spread over its segments (see winograd.h).
 */
static void products(const float *X, const float *D, float *P, int S, int R, int OHe, const float *ta, int la, const float *tb, int lb, float *sink) {
  v128_t seen = wasm_f32x4_splat(0);
  for (int f = 0; f < 8; f++) {
    for (int v = 0; v < 2; v++) {
      touch_span sa = touch_share(ta, la, f * 2 + v, 16, S), sb = touch_share(tb, lb, f * 2 + v, 16, S);
      float *p = P + (f * 2 + v) * 4;
      const int ks = 8 * 2 * 4; /* from one filter row's P to the next */
      v128_t a0 = wasm_v128_load(p), a1 = wasm_v128_load(p + ks), a2 = wasm_v128_load(p + 2 * ks);
      v128_t a3 = wasm_v128_load(p + 3 * ks), a4 = wasm_v128_load(p + 4 * ks);
      for (int s = 0; s < S; s++) {
        seen = touch_next(&sb, touch_next(&sa, seen));
        const float *xs = X + (f * S + s) * R;
        const float *ds = D + (((f * 2 + v) * S) + s) * OHe * 4;
        for (int oh = 0; oh < OHe; oh += 2, xs += 2, ds += 8) {
          const v128_t da = wasm_v128_load(ds), db = wasm_v128_load(ds + 4);
          v128_t xk = wasm_v128_load32_splat(xs), xn = wasm_v128_load32_splat(xs + 1);
          a0 = wasm_f32x4_add(a0, wasm_f32x4_add(wasm_f32x4_mul(xk, da), wasm_f32x4_mul(xn, db)));
          xk = wasm_v128_load32_splat(xs + 2);
          a1 = wasm_f32x4_add(a1, wasm_f32x4_add(wasm_f32x4_mul(xn, da), wasm_f32x4_mul(xk, db)));
          xn = wasm_v128_load32_splat(xs + 3);
          a2 = wasm_f32x4_add(a2, wasm_f32x4_add(wasm_f32x4_mul(xk, da), wasm_f32x4_mul(xn, db)));
          xk = wasm_v128_load32_splat(xs + 4);
          a3 = wasm_f32x4_add(a3, wasm_f32x4_add(wasm_f32x4_mul(xn, da), wasm_f32x4_mul(xk, db)));
          xn = wasm_v128_load32_splat(xs + 5);
          a4 = wasm_f32x4_add(a4, wasm_f32x4_add(wasm_f32x4_mul(xk, da), wasm_f32x4_mul(xn, db)));
        }
      }
      wasm_v128_store(p, a0), wasm_v128_store(p + ks, a1), wasm_v128_store(p + 2 * ks, a2);
      wasm_v128_store(p + 3 * ks, a3), wasm_v128_store(p + 4 * ks, a4);
    }
  }
  wasm_v128_store(sink, seen);
}

/*
 * The sums P (at the start of scratch, rows45_scratch_floats) over images n0..n1 of x
 * ([N, H, W, 1]) and dy ([N, OH, OW, O], 4 <= O <= 8) for a 5x5 filter with unit stride,
 * padded by PT rows and PL columns; rows45_filter_grad_finish turns them into dW.
 */
EXPORT("rows45_filter_grad")
void rows45_filter_grad(const float *x, const float *dy, float *scratch, int n0, int n1, int H, int W, int OH, int OW, int O, int PT, int PL) {
  const int S = rows45_segments(OW), OHe = rows45_even(OH), R = rows45_rows(OH);
  const rows45_scratch sc = rows45_layout(scratch, S, R, OHe);
  float *P = sc.head, *X = sc.X, *D = sc.DM, *col = sc.col;
  const float *Z = sc.Z;
  __builtin_memset(P, 0, sizeof(float) * 5 * 8 * 2 * 4);
  for (int n = n0; n < n1; n++) {
    transform_x(x + n * H * W, X, col, Z, H, W, S, R, PT, PL);
    transform_dy(dy + n * OH * OW * O, D, S, OH, OHe, OW, O, O - 4);
    /* The next image's dy and x read ahead (as 64-byte lines; none after the last image). */
    const int more = n + 1 < n1;
    products(X, D, P, S, R, OHe, dy + (n + 1) * OH * OW * O, more ? OH * OW * O / 16 : 0, x + (n + 1) * H * W, more ? H * W / 16 : 0, col);
  }
}

/*
 * dW ([5][5][1][O]) = G'ᵀ P of the sum of `parts` rows45_filter_grad sums, the first at p0 and
 * each `stride` floats after the last.
 */
EXPORT("rows45_filter_grad_finish")
void rows45_filter_grad_finish(float *p0, int parts, int stride, float *dw, int O) {
  const int n = 5 * 8 * 2 * 4;
  for (int i = 1; i < parts; i++)
    for (int j = 0; j < n; j += 4) wasm_v128_store(p0 + j, wasm_f32x4_add(wasm_v128_load(p0 + j), wasm_v128_load(p0 + i * stride + j)));
  for (int kh = 0; kh < 5; kh++) {
    for (int v = 0; v < 2; v++) {
#define PF(f) wasm_v128_load(p0 + ((kh * 8 + (f)) * 2 + v) * 4)
      v128_t w0, w1, w2, w3, w4;
      ROWS45_GT(PF(0), PF(1), PF(2), PF(3), PF(4), PF(5), PF(6), PF(7), w0, w1, w2, w3, w4);
#undef PF
      float *w = dw + kh * 5 * O + (v ? O - 4 : 0);
      wasm_v128_store(w, w0), wasm_v128_store(w + O, w1), wasm_v128_store(w + 2 * O, w2), wasm_v128_store(w + 3 * O, w3), wasm_v128_store(w + 4 * O, w4);
    }
  }
}

/* U[kh][f][v] = G' w[kh] for the two channel vectors (v = 1 from channel O - 4). */
static void transform_filter(const float *w, float *U, int O) {
  for (int kh = 0; kh < 5; kh++) {
    for (int v = 0; v < 2; v++) {
      const float *k = w + kh * 5 * O + (v ? O - 4 : 0);
      const v128_t w0 = wasm_v128_load(k), w1 = wasm_v128_load(k + O), w2 = wasm_v128_load(k + 2 * O);
      const v128_t w3 = wasm_v128_load(k + 3 * O), w4 = wasm_v128_load(k + 4 * O);
      ROWS45_G_STORE(w0, w1, w2, w3, w4, U + (kh * 8 * 2 + v) * 4, 2 * 4);
    }
  }
}

/*
 * M[f][v][s][oh] = Σ_kh X[f][s][oh + kh] · U[kh][f][v]: per point and vector, two rows at a
 * time. Meanwhile loads `lines` 64-byte lines from `ahead` into cache, as products() does.
 */
static void products_forward(const float *X, const float *U, float *M, int S, int R, int OHe, const float *ahead, int lines, float *sink) {
  v128_t seen = wasm_f32x4_splat(0);
  for (int f = 0; f < 8; f++) {
    for (int v = 0; v < 2; v++) {
      touch_span span = touch_share(ahead, lines, f * 2 + v, 16, S);
      const float *u = U + (f * 2 + v) * 4;
      const int ks = 8 * 2 * 4;
      const v128_t u0 = wasm_v128_load(u), u1 = wasm_v128_load(u + ks), u2 = wasm_v128_load(u + 2 * ks);
      const v128_t u3 = wasm_v128_load(u + 3 * ks), u4 = wasm_v128_load(u + 4 * ks);
      for (int s = 0; s < S; s++) {
        seen = touch_next(&span, seen);
        const float *xs = X + (f * S + s) * R;
        float *ms = M + (((f * 2 + v) * S) + s) * OHe * 4;
        for (int oh = 0; oh < OHe; oh += 2, xs += 2, ms += 8) {
          v128_t x0 = wasm_v128_load32_splat(xs), x1 = wasm_v128_load32_splat(xs + 1);
          v128_t a = wasm_f32x4_mul(x0, u0), b = wasm_f32x4_mul(x1, u0);
          x0 = wasm_v128_load32_splat(xs + 2);
          a = wasm_f32x4_add(a, wasm_f32x4_mul(x1, u1)), b = wasm_f32x4_add(b, wasm_f32x4_mul(x0, u1));
          x1 = wasm_v128_load32_splat(xs + 3);
          a = wasm_f32x4_add(a, wasm_f32x4_mul(x0, u2)), b = wasm_f32x4_add(b, wasm_f32x4_mul(x1, u2));
          x0 = wasm_v128_load32_splat(xs + 4);
          a = wasm_f32x4_add(a, wasm_f32x4_mul(x1, u3)), b = wasm_f32x4_add(b, wasm_f32x4_mul(x0, u3));
          x1 = wasm_v128_load32_splat(xs + 5);
          a = wasm_f32x4_add(a, wasm_f32x4_mul(x0, u4)), b = wasm_f32x4_add(b, wasm_f32x4_mul(x1, u4));
          wasm_v128_store(ms, a), wasm_v128_store(ms + 4, b);
        }
      }
    }
  }
  wasm_v128_store(sink, seen);
}

/* One image's outputs (OH x OW x O) from M: Aᵀ over the 8 points of each row segment and channel vector, plus the bias. */
static void transform_out(const float *M, float *y, int S, int OH, int OHe, int OW, int O, v128_t b0, v128_t b1) {
  const int fs = 2 * S * OHe * 4;
  for (int oh = 0; oh < OH; oh++) {
    for (int v = 0; v < 2; v++) {
      const v128_t b = v ? b1 : b0;
      for (int s = 0; s < S; s++) {
        const float *m = M + ((v * S + s) * OHe + oh) * 4;
        v128_t y0, y1, y2, y3;
        ROWS45_AT(wasm_v128_load(m), wasm_v128_load(m + fs), wasm_v128_load(m + 2 * fs), wasm_v128_load(m + 3 * fs), wasm_v128_load(m + 4 * fs),
                  wasm_v128_load(m + 5 * fs), wasm_v128_load(m + 6 * fs), wasm_v128_load(m + 7 * fs), b, y0, y1, y2, y3);
        float *q = y + (oh * OW + 4 * s) * O + (v ? O - 4 : 0);
        const int cols = OW - 4 * s;
        wasm_v128_store(q, y0);
        if (cols > 1) wasm_v128_store(q + O, y1);
        if (cols > 2) wasm_v128_store(q + 2 * O, y2);
        if (cols > 3) wasm_v128_store(q + 3 * O, y3);
      }
    }
  }
}

/*
 * The forward convolution of images n0..n1 of x ([N, H, W, 1]) with a 5x5 filter w ([5][5][1][O],
 * 4 <= O <= 8; bias: O floats or 0), unit stride, padded by PT rows and PL columns, into out
 * ([N, OH, OW, O]) by the same transforms: y = Aᵀ Σ_kh (G' w[kh]) ⊙ (Bᵀ' d[oh + kh]) per row
 * segment, 10 products per output position and channel vector where the direct kernel takes 25.
 * scratch: rows45_scratch_floats (U where the gradient keeps P, M where it keeps D).
 */
EXPORT("rows45_forward")
void rows45_forward(const float *x, const float *w, const float *bias, float *out, float *scratch, int n0, int n1, int H, int W, int OH, int OW, int O, int PT, int PL) {
  const int S = rows45_segments(OW), OHe = rows45_even(OH), R = rows45_rows(OH);
  const rows45_scratch sc = rows45_layout(scratch, S, R, OHe);
  float *U = sc.head, *X = sc.X, *M = sc.DM, *col = sc.col;
  const float *Z = sc.Z;
  transform_filter(w, U, O);
  const v128_t zero = wasm_f32x4_splat(0);
  const v128_t b0 = bias ? wasm_v128_load(bias) : zero, b1 = bias ? wasm_v128_load(bias + O - 4) : zero;
  for (int n = n0; n < n1; n++) {
    transform_x(x + n * H * W, X, col, Z, H, W, S, R, PT, PL);
    /* The next image's x (as 64-byte lines; none after the last image). */
    products_forward(X, U, M, S, R, OHe, x + (n + 1) * H * W, n + 1 < n1 ? H * W / 16 : 0, col);
    transform_out(M, out + n * OH * OW * O, S, OH, OHe, OW, O, b0, b1);
  }
}
