/*
 * 3x3 convolutions with unit stride and one pixel of padding over 2x2 maps (a ResNet-18's
 * third stage on 32x32 images): a 2x2 output whose taps meet only the 2x2 input. Along a row,
 *
 *   y0 = w1·x0 + w2·x1,   y1 = w0·x0 + w1·x1
 *
 * takes three multiplications instead of four, w1·(x0 + x1), (w2 - w1)·x1 and (w0 - w1)·x0
 * (y0 the first plus the second, y1 the first plus the third), so the 2x2 map takes 9
 * where a direct convolution that skips the padding takes 16:
 *
 *   Bᵀ = [1  1]    G = [0  1  0]    Aᵀ = [1  1  0]
 *        [0  1]        [0 -1  1]         [1  0  1]
 *        [1  0]        [1 -1  0]
 *
 * One tile per image (its whole map, so PT and PL are not read), 9 matrix products
 * [images x C]·[C x O] through winograd.c's shared loops; the filter gradient in their form,
 * dW = Gᵀ[Σ_images (A δ Aᵀ) ⊙ (Bᵀ d B)]G. Exact arithmetic but for the sums' order.
 */
#include "winograd.h"

/* y0..y2 = Bᵀ·(x0, x1). */
#define BT32(x0, x1, y0, y1, y2) (y0 = wasm_f32x4_add((x0), (x1)), y1 = (x1), y2 = (x0))

/* y0..y2 = A·(x0, x1) (A = (Aᵀ)ᵀ). */
#define A32(x0, x1, y0, y1, y2) (y0 = wasm_f32x4_add((x0), (x1)), y1 = (x0), y2 = (x1))

/* y0, y1 = Aᵀ·(m0, m1, m2). */
#define AT23(m0, m1, m2, y0, y1) (y0 = wasm_f32x4_add((m0), (m1)), y1 = wasm_f32x4_add((m0), (m2)))

/* y0..y2 = G·(a, b, c). */
#define G33(a, b, c, y0, y1, y2) (y0 = (b), y1 = wasm_f32x4_sub((c), (b)), y2 = wasm_f32x4_sub((a), (b)))

/* y0..y2 = Gᵀ·(p0, p1, p2). */
#define GT33(p0, p1, p2, y0, y1, y2) (y0 = (p2), y1 = wasm_f32x4_sub(wasm_f32x4_sub((p0), (p1)), (p2)), y2 = (p1))

/* u[f][c][O8] = (G g Gᵀ)[f] for each filter g = w[.][.][c][o] (w: [3][3][C][O]), f = 3i + j, for input channels c0 <= c < c1 (threads split them; scratch unused); columns O..O8 are 0. O a multiple of 4. */
EXPORT("winograd22_filter")
void winograd22_filter(const float *w, float *u, float *scratch, int C, int O, int c0, int c1) {
  (void)scratch;
  const int O8 = ceil8(O), fs = u_stride(C, O8);
  const v128_t zero = wasm_f32x4_splat(0);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O8; o += 4) {
      float *d = u + c * O8 + o;
      if (o >= O) {
        for (int f = 0; f < 9; f++) wasm_v128_store(d + f * fs, zero);
        continue;
      }
#define W(kh, kw) wasm_v128_load(w + (((kh) * 3 + (kw)) * C + c) * O + o)
      /* Columns of G·g (3 x 3), then each of its rows times Gᵀ. */
      v128_t r00, r10, r20, r01, r11, r21, r02, r12, r22, y0, y1, y2;
      G33(W(0, 0), W(1, 0), W(2, 0), r00, r10, r20);
      G33(W(0, 1), W(1, 1), W(2, 1), r01, r11, r21);
      G33(W(0, 2), W(1, 2), W(2, 2), r02, r12, r22);
#undef W
      G33(r00, r01, r02, y0, y1, y2);
      STORE_Y3(d, fs);
      G33(r10, r11, r12, y0, y1, y2);
      STORE_Y3(d + 3 * fs, fs);
      G33(r20, r21, r22, y0, y1, y2);
      STORE_Y3(d + 6 * fs, fs);
    }
  }
}

/* V[f][t][c] = (Bᵀ d B)[f] for each tile's 2x2 map d (winograd_input_transform; one tile an image). */
static void transform_inputs2(const float *x, float *V, int vs, float *T, int m, int g0, int tn, int H, int W, int C, int TH, int TW, int PT, int PL) {
  (void)T, (void)m, (void)H, (void)W, (void)TH, (void)TW, (void)PT, (void)PL;
  for (int t = 0; t < tn; t++) {
    const float *p = x + (g0 + t) * 4 * C;
    float *v = V + t * C;
    for (int c = 0; c < C; c += 4, p += 4, v += 4) {
      v128_t a0, a1, a2, b0, b1, b2, y0, y1, y2;
      /* Columns: (Bᵀ d)[k][l] for the map's two columns l. */
      BT32(wasm_v128_load(p), wasm_v128_load(p + 2 * C), a0, a1, a2);
      BT32(wasm_v128_load(p + C), wasm_v128_load(p + 3 * C), b0, b1, b2);
      /* Rows: V[3k + j] = ((Bᵀ d) B)[k][j]. */
      BT32(a0, b0, y0, y1, y2);
      STORE_Y3(v, vs);
      BT32(a1, b1, y0, y1, y2);
      STORE_Y3(v + 3 * vs, vs);
      BT32(a2, b2, y0, y1, y2);
      STORE_Y3(v + 6 * vs, vs);
    }
  }
}

/* out for one image's 2x2 outputs from its 9 products (winograd_output_transform; the map is whole, so rows = cols = 2). */
static void transform_out22(const float *m, int ms, float *T, float *y, int rows, int cols, int O, int OW, v128_t b) {
  (void)T, (void)rows, (void)cols, (void)OW;
#define M(f) wasm_v128_load(m + (f) * ms)
  v128_t c00, c10, c01, c11, c02, c12, y0, y1;
  /* Columns: (Aᵀ M)[i][l], then rows. */
  AT23(M(0), M(3), M(6), c00, c10);
  AT23(M(1), M(4), M(7), c01, c11);
  AT23(M(2), M(5), M(8), c02, c12);
#undef M
  AT23(c00, c01, c02, y0, y1);
  wasm_v128_store(y, wasm_f32x4_add(b, y0));
  wasm_v128_store(y + O, wasm_f32x4_add(b, y1));
  AT23(c10, c11, c12, y0, y1);
  wasm_v128_store(y + 2 * O, wasm_f32x4_add(b, y0));
  wasm_v128_store(y + 3 * O, wasm_f32x4_add(b, y1));
}

/* As winograd_forward for 3x3 filters over 2x2 maps padded by one (scratch: winograd_scratch_floats with 9 points); u from winograd22_filter. */
EXPORT("winograd22_forward")
void winograd22_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 2, 9, transform_inputs2, transform_out22, H, W, C, OH, OW, O, PT, PL);
}

/* E for one image's 2x2 dy (winograd_dy_transform): A δ Aᵀ, 9 components. */
static void transform_dy22(const float *d, float *e, int es, float *T, int rows, int cols, int O, int O8, int OW) {
  (void)T, (void)rows, (void)cols, (void)OW;
  const v128_t zero = wasm_f32x4_splat(0);
  for (int o = 0; o < O8; o += 4) {
    v128_t a0 = zero, a1 = zero, a2 = zero, b0 = zero, b1 = zero, b2 = zero, y0, y1, y2;
    if (o < O) {
      A32(wasm_v128_load(d + o), wasm_v128_load(d + 2 * O + o), a0, a1, a2);
      A32(wasm_v128_load(d + O + o), wasm_v128_load(d + 3 * O + o), b0, b1, b2);
    }
    A32(a0, b0, y0, y1, y2);
    STORE_Y3(e + o, es);
    A32(a1, b1, y0, y1, y2);
    STORE_Y3(e + 3 * es + o, es);
    A32(a2, b2, y0, y1, y2);
    STORE_Y3(e + 6 * es + o, es);
  }
}

/* As winograd_filter_grad for 3x3 filters over 2x2 maps padded by one (scratch: winograd_grad_scratch_floats with 9 points). */
EXPORT("winograd22_filter_grad")
void winograd22_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 2, 9, transform_inputs2, transform_dy22, H, W, C, OH, OW, O, PT, PL, CR);
}

/*
 * dw[kh][kw][c][o] = (Gᵀ P G)[kh][kw] (3x3) of P = the sum of `parts` winograd22_filter_grad
 * sums, the first at p0 and each `stride` floats after the last, for input channels
 * c0 <= c < c1 (threads split them). O a multiple of 4.
 */
EXPORT("winograd22_filter_grad_finish")
void winograd22_filter_grad_finish(float *p0, int parts, int stride, float *dw, float *scratch, int C, int O, int c0, int c1) {
  (void)scratch;
  const int O8 = ceil8(O);
  winograd_sum_rows(p0, parts, stride, 9, C, O8, c0, c1);
  for (int c = c0; c < c1; c++) {
    for (int o = 0; o < O; o += 4) {
#define P(f) wasm_v128_load(p0 + ((f) * C + c) * O8 + o)
      v128_t r00, r10, r20, r01, r11, r21, r02, r12, r22, y0, y1, y2;
      /* Columns: (Gᵀ P)[k][j], then rows. */
      GT33(P(0), P(3), P(6), r00, r10, r20);
      GT33(P(1), P(4), P(7), r01, r11, r21);
      GT33(P(2), P(5), P(8), r02, r12, r22);
#undef P
      float *d = dw + c * O + o;
      GT33(r00, r01, r02, y0, y1, y2);
      STORE_Y3(d, C * O);
      GT33(r10, r11, r12, y0, y1, y2);
      STORE_Y3(d + 3 * C * O, C * O);
      GT33(r20, r21, r22, y0, y1, y2);
      STORE_Y3(d + 6 * C * O, C * O);
    }
  }
}
