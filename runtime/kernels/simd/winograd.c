/*
 * 3x3 convolutions with unit stride and no dilation by Winograd's F(2x2, 3x3) (Lavin & Gray,
 * "Fast Algorithms for Convolutional Neural Networks", 2015): each 2x2 block of outputs
 * ("tile") is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A of the 4x4 input patch d under it, so a tile costs 16
 * multiplications per (input, output) channel pair instead of 36. Summed over input
 * channels, the 16 elementwise products become 16 matrix products [tiles x C]·[C x O].
 *
 * Tiles are taken a chunk at a time so that the transformed inputs V and products M stay in
 * cache: transform the chunk's inputs, multiply, transform back into the output. Channels
 * run in the lanes (C and O multiples of 4). Same rules as conv.c: no state, no stack frame,
 * only the memory handed in.
 */
#include "block4x8.h"

#define EXPORT(name) __attribute__((export_name(name)))

static int ceil8(int n) { return (n + 7) & ~7; }

/* Floats added between the 16 matrices of V and of M: at power-of-two strides their 16 streams would share cache sets. */
#define SKEW 16

/*
 * u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [3][3][C][O]), f = 4i + j,
 * G = [[1, 0, 0], [½, ½, ½], [½, -½, ½], [0, 0, 1]]; columns O..O8 are 0.
 */
EXPORT("winograd_filter")
void winograd_filter(const float *w, float *u, int C, int O) {
  const int O8 = ceil8(O);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O8; o++) {
      float *d = u + c * O8 + o;
      const int fs = C * O8; /* floats between consecutive f */
      if (o >= O) {
        for (int f = 0; f < 16; f++) d[f * fs] = 0.0f;
        continue;
      }
#define W(kh, kw) w[(((kh) * 3 + (kw)) * C + c) * O + o]
      /* Rows of G·g (4 x 3), then each row times Gᵀ. */
      const float a0 = W(0, 0), a1 = W(0, 1), a2 = W(0, 2);
      const float b0 = 0.5f * (W(0, 0) + W(1, 0) + W(2, 0)), b1 = 0.5f * (W(0, 1) + W(1, 1) + W(2, 1)), b2 = 0.5f * (W(0, 2) + W(1, 2) + W(2, 2));
      const float c0 = 0.5f * (W(0, 0) - W(1, 0) + W(2, 0)), c1 = 0.5f * (W(0, 1) - W(1, 1) + W(2, 1)), c2 = 0.5f * (W(0, 2) - W(1, 2) + W(2, 2));
      const float e0 = W(2, 0), e1 = W(2, 1), e2 = W(2, 2);
#undef W
#define ROW(i, x0, x1, x2)                                   \
  do {                                                       \
    d[(4 * (i) + 0) * fs] = (x0);                            \
    d[(4 * (i) + 1) * fs] = 0.5f * ((x0) + (x1) + (x2));     \
    d[(4 * (i) + 2) * fs] = 0.5f * ((x0) - (x1) + (x2));     \
    d[(4 * (i) + 3) * fs] = (x2);                            \
  } while (0)
      ROW(0, a0, a1, a2);
      ROW(1, b0, b1, b2);
      ROW(2, c0, c1, c2);
      ROW(3, e0, e1, e2);
#undef ROW
    }
  }
}

/* Floats of scratch one call of winograd_forward needs for `tiles` tiles a chunk. */
EXPORT("winograd_scratch_floats")
int winograd_scratch_floats(int tiles, int C, int O) { return 16 * (tiles * C + SKEW) + 16 * (tiles * ceil8(O) + SKEW); }

/* Input patch rows (or columns) 0..3 of a tile inside the input: bit k set when k is. */
static int inside_mask(int first, int size) {
  int m = 0;
  for (int k = 0; k < 4; k++)
    if (first + k >= 0 && first + k < size) m |= 1 << k;
  return m;
}

/* The patch's vector at (row k, column l): every one inside (interior tiles), or 0 where it is padding. */
#define INSIDE(k, l) wasm_v128_load(p + (k) * rs + (l) * C)
#define MASKED(k, l) (((rows >> (k)) & (cols >> (l)) & 1) ? wasm_v128_load(p + (k) * rs + (l) * C) : zero)

/* V[f] = (Bᵀ d B)[f] for the patch d at p through PATCH, v: f = 0's four channels. */
#define INPUT_TRANSFORM(PATCH)                                                                      \
  do {                                                                                              \
    /* Row i of Bᵀd from two patch rows, then times B along the row. */                            \
    OUT_ROW(0, wasm_f32x4_sub, PATCH, 0, 2);                                                        \
    OUT_ROW(1, wasm_f32x4_add, PATCH, 1, 2);                                                        \
    OUT_ROW(2, wasm_f32x4_sub, PATCH, 2, 1);                                                        \
    OUT_ROW(3, wasm_f32x4_sub, PATCH, 1, 3);                                                        \
  } while (0)
#define OUT_ROW(i, op, PATCH, ka, kb)                                                               \
  do {                                                                                              \
    const v128_t r0 = op(PATCH(ka, 0), PATCH(kb, 0)), r1 = op(PATCH(ka, 1), PATCH(kb, 1));          \
    const v128_t r2 = op(PATCH(ka, 2), PATCH(kb, 2)), r3 = op(PATCH(ka, 3), PATCH(kb, 3));          \
    wasm_v128_store(v + (4 * (i) + 0) * vs, wasm_f32x4_sub(r0, r2));                                \
    wasm_v128_store(v + (4 * (i) + 1) * vs, wasm_f32x4_add(r1, r2));                                \
    wasm_v128_store(v + (4 * (i) + 2) * vs, wasm_f32x4_sub(r2, r1));                                \
    wasm_v128_store(v + (4 * (i) + 3) * vs, wasm_f32x4_sub(r1, r3));                                \
  } while (0)

/* Steps the tile coordinates (n, th, tw) to the next tile (an expression, for a loop's step). */
#define NEXT_TILE() (++tw == TW ? (tw = 0, ++th == TH ? (th = 0, n++) : 0) : 0)

/*
 * V[f][t][c] = (Bᵀ d B)[f] for the 4x4 input patch d of tiles g0..g0+tn (numbered n, tile row,
 * tile column; TH x TW tiles an image), out-of-range inputs 0, Bᵀ = [[1,0,-1,0],[0,1,1,0],
 * [0,-1,1,0],[0,1,0,-1]]; V's 16 matrices are vs floats apart.
 */
static void transform_inputs(const float *x, float *V, int vs, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  const v128_t zero = wasm_f32x4_splat(0);
  const int rs = W * C; /* floats from one input row to the next */
  int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
  for (int t = 0; t < tn; t++, NEXT_TILE()) {
    const int ih = 2 * th - PT, iw = 2 * tw - PL;
    const int rows = inside_mask(ih, H), cols = inside_mask(iw, W);
    const float *p = x + ((n * H + ih) * W + iw) * C;
    float *v = V + t * C;
    if (rows == 15 && cols == 15) {
      for (int c = 0; c < C; c += 4, p += 4, v += 4) INPUT_TRANSFORM(INSIDE);
    } else {
      for (int c = 0; c < C; c += 4, p += 4, v += 4) INPUT_TRANSFORM(MASKED);
    }
  }
}

/*
 * out[n][oh][ow][o] = bias[o] + Σ_{kh, kw, c} x[n][oh + kh - PT][ow + kw - PL][c] · w[kh][kw][c][o]
 * (out of range: 0) for the 2x2 tiles t0..t1 (numbered n, tile row, tile column), `chunk`
 * tiles at a time through `scratch` (winograd_scratch_floats(chunk, C, O) floats; chunk a
 * multiple of 4). u from winograd_filter; bias may be 0. C and O multiples of 4. Tile ranges
 * write disjoint outputs, so threads split them, each with its own scratch.
 */
EXPORT("winograd_forward")
void winograd_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                      int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  const int O8 = ceil8(O);
  const int TH = (OH + 1) / 2, TW = (OW + 1) / 2;
  const int vs = chunk * C + SKEW, ms = chunk * O8 + SKEW; /* floats from one f to the next */
  float *V = scratch;           /* [16][chunk][C], vs apart */
  float *M = scratch + 16 * vs; /* [16][chunk][O8], ms apart */
  const v128_t zero = wasm_f32x4_splat(0);
  for (int g0 = t0; g0 < t1; g0 += chunk) {
    const int tn = t1 - g0 < chunk ? t1 - g0 : chunk;
    transform_inputs(x, V, vs, g0, tn, H, W, C, TH, TW, PT, PL);
    /* 2. M[f] = V[f] · U[f]: four tiles by eight output channels per register block, a panel
       of eight U columns at a time (it stays in L1 across the chunk's tiles). */
    for (int f = 0; f < 16; f++) {
      const float *vf = V + f * vs, *uf = u + f * C * O8;
      float *mf = M + f * ms;
      for (int j = 0; j < O8; j += 8) {
        for (int t = 0; t < tn; t += 4) {
          const int cnt = tn - t < 4 ? tn - t : 4;
          const float *a0 = vf + t * C;
          const float *a1 = cnt > 1 ? a0 + C : a0, *a2 = cnt > 2 ? a0 + 2 * C : a0, *a3 = cnt > 3 ? a0 + 3 * C : a0;
          v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
          const float *b = uf + j;
          for (int c = 0; c < C; c++, b += O8) {
            const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
            BLOCK4X8_FMA(wasm_v128_load32_splat(a0 + c), wasm_v128_load32_splat(a1 + c), wasm_v128_load32_splat(a2 + c),
                         wasm_v128_load32_splat(a3 + c), b0, b1);
          }
          STORE4X8(mf + t * O8 + j, O8, 8, cnt);
        }
      }
    }
    /* 3. out = Aᵀ m A (+ bias) for each tile, Aᵀ = [[1, 1, 1, 0], [0, 1, -1, -1]]. */
    int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
    for (int t = 0; t < tn; t++, NEXT_TILE()) {
      const int oh = 2 * th, ow = 2 * tw;
      const int right = ow + 1 < OW, below = oh + 1 < OH;
      float *y = out + ((n * OH + oh) * OW + ow) * O;
      for (int o = 0; o < O; o += 4) {
        const float *m = M + t * O8 + o;
#define MV(i, j) wasm_v128_load(m + (4 * (i) + (j)) * ms)
        /* Column j of Aᵀm: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j. */
#define S0(j) wasm_f32x4_add(wasm_f32x4_add(MV(0, j), MV(1, j)), MV(2, j))
#define S1(j) wasm_f32x4_sub(wasm_f32x4_sub(MV(1, j), MV(2, j)), MV(3, j))
        const v128_t s00 = S0(0), s01 = S0(1), s02 = S0(2), s03 = S0(3);
        const v128_t s10 = S1(0), s11 = S1(1), s12 = S1(2), s13 = S1(3);
#undef S0
#undef S1
#undef MV
        const v128_t b = bias ? wasm_v128_load(bias + o) : zero;
        wasm_v128_store(y + o, wasm_f32x4_add(b, wasm_f32x4_add(wasm_f32x4_add(s00, s01), s02)));
        if (right) wasm_v128_store(y + O + o, wasm_f32x4_add(b, wasm_f32x4_sub(wasm_f32x4_sub(s01, s02), s03)));
        if (below) {
          wasm_v128_store(y + OW * O + o, wasm_f32x4_add(b, wasm_f32x4_add(wasm_f32x4_add(s10, s11), s12)));
          if (right) wasm_v128_store(y + (OW + 1) * O + o, wasm_f32x4_add(b, wasm_f32x4_sub(wasm_f32x4_sub(s11, s12), s13)));
        }
      }
    }
  }
}

/* Floats of scratch one call of winograd_filter_grad needs for `tiles` tiles a chunk (its sums P included). */
EXPORT("winograd_grad_scratch_floats")
int winograd_grad_scratch_floats(int tiles, int C, int O) { return winograd_scratch_floats(tiles, C, O) + 16 * C * ceil8(O); }

/*
 * The filter gradient by the same transforms (F(3x3, 2x2) in effect): for y = conv(x, w) as
 * in winograd_forward, Σ y·δ = Σ_f (A δ Aᵀ)_f (G w Gᵀ)_f (Bᵀ d B)_f summed over tiles, so
 * dW = Gᵀ [Σ_tiles (A δ Aᵀ) ⊙ (Bᵀ d B)] G with δ a tile's 2x2 block of dy: 16 products per
 * tile and channel pair instead of 36. This call sums P[f][c][o] = Σ_t V[f][t][c]·E[f][t][o]
 * over tiles t0..t1 into the P at the end of its scratch (winograd_grad_scratch_floats;
 * [16][C][O8]); winograd_filter_grad_finish adds the threads' P and transforms back.
 */
EXPORT("winograd_filter_grad")
void winograd_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                          int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  const int O8 = ceil8(O);
  const int TH = (OH + 1) / 2, TW = (OW + 1) / 2;
  const int vs = chunk * C + SKEW, es = chunk * O8 + SKEW;
  float *V = scratch;            /* [16][chunk][C], vs apart */
  float *E = scratch + 16 * vs;  /* [16][chunk][O8], es apart */
  float *P = E + 16 * es;        /* [16][C][O8] */
  const v128_t zero = wasm_f32x4_splat(0);
  __builtin_memset(P, 0, sizeof(float) * 16 * C * O8);
  for (int g0 = t0; g0 < t1; g0 += chunk) {
    const int tn = t1 - g0 < chunk ? t1 - g0 : chunk;
    transform_inputs(x, V, vs, g0, tn, H, W, C, TH, TW, PT, PL);
    /* E[f][t] = (A δ Aᵀ)[f], A = [[1, 0], [1, 1], [1, -1], [0, -1]]; δ outside dy is 0. */
    int n = g0 / (TH * TW), th = (g0 / TW) % TH, tw = g0 % TW;
    for (int t = 0; t < tn; t++, NEXT_TILE()) {
      const int oh = 2 * th, ow = 2 * tw;
      const int right = ow + 1 < OW, below = oh + 1 < OH;
      const float *d = dy + ((n * OH + oh) * OW + ow) * O;
      float *e = E + t * O8;
      for (int o = 0; o < O8; o += 4) {
        v128_t d00 = zero, d01 = zero, d10 = zero, d11 = zero;
        if (o < O) {
          d00 = wasm_v128_load(d + o);
          if (right) d01 = wasm_v128_load(d + O + o);
          if (below) d10 = wasm_v128_load(d + OW * O + o);
          if (right && below) d11 = wasm_v128_load(d + (OW + 1) * O + o);
        }
        /* Rows of A δ: (d00, d01), (d00 + d10, d01 + d11), (d00 - d10, d01 - d11), (-d10, -d11); each row (a, b) times Aᵀ: a, a + b, a - b, -b. */
#define E_ROW(i, a, b)                                                             \
  do {                                                                             \
    const v128_t ra = (a), rb = (b);                                               \
    wasm_v128_store(e + (4 * (i) + 0) * es + o, ra);                               \
    wasm_v128_store(e + (4 * (i) + 1) * es + o, wasm_f32x4_add(ra, rb));           \
    wasm_v128_store(e + (4 * (i) + 2) * es + o, wasm_f32x4_sub(ra, rb));           \
    wasm_v128_store(e + (4 * (i) + 3) * es + o, wasm_f32x4_neg(rb));               \
  } while (0)
        E_ROW(0, d00, d01);
        E_ROW(1, wasm_f32x4_add(d00, d10), wasm_f32x4_add(d01, d11));
        E_ROW(2, wasm_f32x4_sub(d00, d10), wasm_f32x4_sub(d01, d11));
        E_ROW(3, wasm_f32x4_neg(d10), wasm_f32x4_neg(d11));
#undef E_ROW
      }
    }
    /* P[f] += V[f]ᵀ · E[f]: four input channels by eight output channels per register block. */
    for (int f = 0; f < 16; f++) {
      const float *vf = V + f * vs, *ef = E + f * es;
      float *pf = P + f * C * O8;
      for (int c = 0; c < C; c += 4) {
        for (int j = 0; j < O8; j += 8) {
          float *pc = pf + c * O8 + j;
          v128_t c00 = wasm_v128_load(pc), c01 = wasm_v128_load(pc + 4);
          v128_t c10 = wasm_v128_load(pc + O8), c11 = wasm_v128_load(pc + O8 + 4);
          v128_t c20 = wasm_v128_load(pc + 2 * O8), c21 = wasm_v128_load(pc + 2 * O8 + 4);
          v128_t c30 = wasm_v128_load(pc + 3 * O8), c31 = wasm_v128_load(pc + 3 * O8 + 4);
          const float *a = vf + c, *b = ef + j;
          for (int t = 0; t < tn; t++, a += C, b += O8) {
            const v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
            BLOCK4X8_FMA(wasm_v128_load32_splat(a), wasm_v128_load32_splat(a + 1), wasm_v128_load32_splat(a + 2),
                         wasm_v128_load32_splat(a + 3), b0, b1);
          }
          STORE4X8(pc, O8, 8, 4);
        }
      }
    }
  }
}

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] of P = the sum of `parts` winograd_filter_grad sums,
 * the first at p0 and each `stride` floats after the last; Gᵀ = [[1, ½, ½, 0], [0, ½, -½, 0],
 * [0, ½, ½, 1]]. O a multiple of 4.
 */
EXPORT("winograd_filter_grad_finish")
void winograd_filter_grad_finish(const float *p0, int parts, int stride, float *dw, int C, int O) {
  const int O8 = ceil8(O);
  const v128_t half = wasm_f32x4_splat(0.5f);
  for (int c = 0; c < C; c++) {
    for (int o = 0; o < O; o += 4) {
      /* q<k><j> = (Gᵀ P)[k][j], from P's column j. */
#define PSUM(f, out)                                                              \
  do {                                                                            \
    const float *pp = p0 + ((f) * C + c) * O8 + o;                                \
    out = wasm_v128_load(pp);                                                     \
    for (int k = 1; k < parts; k++) out = wasm_f32x4_add(out, wasm_v128_load(pp + k * stride)); \
  } while (0)
#define COLUMN(j, q0, q1, q2)                                                     \
  do {                                                                            \
    v128_t p0j, p1j, p2j, p3j;                                                    \
    PSUM(j, p0j);                                                                 \
    PSUM(4 + (j), p1j);                                                           \
    PSUM(8 + (j), p2j);                                                           \
    PSUM(12 + (j), p3j);                                                          \
    q0 = wasm_f32x4_add(p0j, wasm_f32x4_mul(half, wasm_f32x4_add(p1j, p2j)));    \
    q1 = wasm_f32x4_mul(half, wasm_f32x4_sub(p1j, p2j));                          \
    q2 = wasm_f32x4_add(p3j, wasm_f32x4_mul(half, wasm_f32x4_add(p1j, p2j)));    \
  } while (0)
      v128_t q00, q10, q20, q01, q11, q21, q02, q12, q22, q03, q13, q23;
      COLUMN(0, q00, q10, q20);
      COLUMN(1, q01, q11, q21);
      COLUMN(2, q02, q12, q22);
      COLUMN(3, q03, q13, q23);
#undef COLUMN
#undef PSUM
      /* Row k of Q times G: (q0 + ½(q1 + q2), ½(q1 - q2), q3 + ½(q1 + q2)). */
#define ROW(k, a, b, cc, d)                                                                     \
  do {                                                                                          \
    const v128_t s = wasm_f32x4_mul(half, wasm_f32x4_add((b), (cc)));                           \
    wasm_v128_store(dw + (((k) * 3 + 0) * C + c) * O + o, wasm_f32x4_add((a), s));              \
    wasm_v128_store(dw + (((k) * 3 + 1) * C + c) * O + o, wasm_f32x4_mul(half, wasm_f32x4_sub((b), (cc)))); \
    wasm_v128_store(dw + (((k) * 3 + 2) * C + c) * O + o, wasm_f32x4_add((d), s));              \
  } while (0)
      ROW(0, q00, q01, q02, q03);
      ROW(1, q10, q11, q12, q13);
      ROW(2, q20, q21, q22, q23);
#undef ROW
    }
  }
}
