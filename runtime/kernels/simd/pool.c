/*
 * Pooling gradients (NHWC) for tfjs-backend-wasm's heap, with WASM SIMD over channels: the
 * same semantics as maxPoolGrad.ts and avgPoolGrad.ts (which keep a JS version for builds
 * without clang). Same rules as bmm.c: no state, no stack frame.
 */
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(name)))

static int max_i(int a, int b) { return a > b ? a : b; }
static int min_i(int a, int b) { return a < b ? a : b; }

/*
 * dx = 0 (an image at a time), then each output's gradient goes to the first (row-major)
 * strict maximum of its window, per channel; padding is never a maximum and a window of NaNs
 * routes nothing.
 */
/* Each lane's gradient g[i] to dx at its window's winner at[i] (-1: none). */
static inline void route(float *dx, v128_t at, const float *g) {
  const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
  const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
  if (a0 >= 0) dx[a0] += g[0];
  if (a1 >= 0) dx[a1] += g[1];
  if (a2 >= 0) dx[a2] += g[2];
  if (a3 >= 0) dx[a3] += g[3];
}

EXPORT("max_pool_grad")
void max_pool_grad(const float *x, const float *dy, float *dx, int N, int H, int W, int C, int OH, int OW, int KH, int KW, int SH,
                   int SW, int PT, int PL) {
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  const v128_t step = wasm_i32x4_splat(C);
  const v128_t four = wasm_i32x4_splat(4), eight = wasm_i32x4_splat(8), twelve = wasm_i32x4_splat(12);
  const float *g = dy;
  for (int n = 0; n < N; n++) {
    const int xn = n * H * W * C;
    /* Cleared an image at a time, so that its dx is still in cache when the gradients land. */
    __builtin_memset(dx + xn, 0, sizeof(float) * H * W * C);
    for (int oh = 0; oh < OH; oh++) {
      const int h0 = max_i(0, oh * SH - PT), h1 = min_i(H, oh * SH - PT + KH);
      for (int ow = 0; ow < OW; ow++, g += C) {
        const int w0 = max_i(0, ow * SW - PL), w1 = min_i(W, ow * SW - PL + KW);
        int c = 0;
        /* Sixteen channels as four independent chains (one chain a window long would wait on
           each maximum), then four at a time, then one. */
        for (; c + 16 <= C; c += 16) {
          v128_t b0 = wasm_f32x4_splat(-__builtin_inff()), b1 = b0, b2 = b0, b3 = b0;
          v128_t a0 = wasm_i32x4_splat(-1), a1 = a0, a2 = a0, a3 = a0;
          for (int h = h0; h < h1; h++) {
            int xi = xn + (h * W + w0) * C + c;
            v128_t idx = wasm_i32x4_add(wasm_i32x4_splat(xi), lanes);
            for (int w = w0; w < w1; w++, xi += C, idx = wasm_i32x4_add(idx, step)) {
              const float *p = x + xi;
              const v128_t v0 = wasm_v128_load(p), v1 = wasm_v128_load(p + 4), v2 = wasm_v128_load(p + 8), v3 = wasm_v128_load(p + 12);
              a0 = wasm_v128_bitselect(idx, a0, wasm_f32x4_gt(v0, b0)), b0 = wasm_f32x4_pmax(b0, v0);
              a1 = wasm_v128_bitselect(wasm_i32x4_add(idx, four), a1, wasm_f32x4_gt(v1, b1)), b1 = wasm_f32x4_pmax(b1, v1);
              a2 = wasm_v128_bitselect(wasm_i32x4_add(idx, eight), a2, wasm_f32x4_gt(v2, b2)), b2 = wasm_f32x4_pmax(b2, v2);
              a3 = wasm_v128_bitselect(wasm_i32x4_add(idx, twelve), a3, wasm_f32x4_gt(v3, b3)), b3 = wasm_f32x4_pmax(b3, v3);
            }
          }
          route(dx, a0, g + c), route(dx, a1, g + c + 4), route(dx, a2, g + c + 8), route(dx, a3, g + c + 12);
        }
        for (; c + 4 <= C; c += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          v128_t at = wasm_i32x4_splat(-1);
          for (int h = h0; h < h1; h++) {
            int xi = xn + (h * W + w0) * C + c;
            v128_t idx = wasm_i32x4_add(wasm_i32x4_splat(xi), lanes);
            for (int w = w0; w < w1; w++, xi += C, idx = wasm_i32x4_add(idx, step)) {
              const v128_t v = wasm_v128_load(x + xi);
              /* pmax keeps best unless v > best (NaN never wins), as the strict compare does. */
              at = wasm_v128_bitselect(idx, at, wasm_f32x4_gt(v, best));
              best = wasm_f32x4_pmax(best, v);
            }
          }
          route(dx, at, g + c);
        }
        for (; c < C; c++) {
          float best = -__builtin_inff();
          int at = -1;
          for (int h = h0; h < h1; h++) {
            int xi = xn + (h * W + w0) * C + c;
            for (int w = w0; w < w1; w++, xi += C)
              if (x[xi] > best) best = x[xi], at = xi;
          }
          if (at >= 0) dx[at] += g[c];
        }
      }
    }
  }
}

/*
 * Where C >= 4, a pixel's C channels are covered by vectors at channels 0, 4, ... and a last
 * one at C - 4, which overlaps the one before when C % 4 != 0 and stores the same values
 * again: no scalar tail (LeNet's 6 channels are two vectors, at 0 and 2).
 */
static inline int cover(int c, int C) { return c + 4 <= C ? c : C - 4; }

/*
 * Max pooling (NHWC) for images [0, N): each output is the largest value of its window, per
 * channel, padding excluded; NaN never wins (a window of NaNs gives -inf), as on tfjs's CPU
 * backend. Channels by the covering vectors from 4, one at a time below.
 */
EXPORT("max_pool")
void max_pool(const float *x, float *y, int N, int H, int W, int C, int OH, int OW, int KH, int KW, int SH, int SW, int PT, int PL) {
  for (int n = 0; n < N; n++) {
    const float *xn = x + n * H * W * C;
    for (int oh = 0; oh < OH; oh++) {
      const int h0 = max_i(0, oh * SH - PT), h1 = min_i(H, oh * SH - PT + KH);
      for (int ow = 0; ow < OW; ow++, y += C) {
        const int w0 = max_i(0, ow * SW - PL), w1 = min_i(W, ow * SW - PL + KW);
        if (C < 4) {
          for (int c = 0; c < C; c++) {
            float best = -__builtin_inff();
            for (int h = h0; h < h1; h++)
              for (int w = w0; w < w1; w++) {
                const float v = xn[(h * W + w) * C + c];
                if (v > best) best = v;
              }
            y[c] = best;
          }
          continue;
        }
        /* Sixteen channels at a time as four independent chains of maxima (one chain a
           window long would wait on each maximum), then the rest by covering vectors. */
        int c0 = 0;
        for (; c0 + 16 <= C; c0 += 16) {
          v128_t b0 = wasm_f32x4_splat(-__builtin_inff()), b1 = b0, b2 = b0, b3 = b0;
          for (int h = h0; h < h1; h++)
            for (int w = w0; w < w1; w++) {
              const float *p = xn + (h * W + w) * C + c0;
              b0 = wasm_f32x4_pmax(b0, wasm_v128_load(p)), b1 = wasm_f32x4_pmax(b1, wasm_v128_load(p + 4));
              b2 = wasm_f32x4_pmax(b2, wasm_v128_load(p + 8)), b3 = wasm_f32x4_pmax(b3, wasm_v128_load(p + 12));
            }
          wasm_v128_store(y + c0, b0), wasm_v128_store(y + c0 + 4, b1), wasm_v128_store(y + c0 + 8, b2), wasm_v128_store(y + c0 + 12, b3);
        }
        for (; c0 < C; c0 += 4) {
          const int c = cover(c0, C);
          v128_t best = wasm_f32x4_splat(-__builtin_inff());
          for (int h = h0; h < h1; h++)
            for (int w = w0; w < w1; w++) best = wasm_f32x4_pmax(best, wasm_v128_load(xn + (h * W + w) * C + c));
          wasm_v128_store(y + c, best);
        }
      }
    }
  }
}

/*
 * dx where the windows tile the input exactly (stride = window, no padding, nothing left
 * over: d2l's 2x2 average pooling): every input takes its one window's gradient · scale,
 * stored once, without clearing dx first or reading it back.
 */
static void avg_pool_grad_tiled(const float *dy, float *dx, float scale, int N, int H, int W, int C, int OH, int OW, int KH, int KW) {
  const v128_t s = wasm_f32x4_splat(scale);
  for (int n = 0; n < N; n++) {
    for (int h = 0; h < H; h++) {
      const float *grow = dy + (n * OH + h / KH) * OW * C;
      float *d = dx + (n * H + h) * W * C;
      if (C >= 4) {
        for (int ow = 0; ow < OW; ow++, d += KW * C)
          for (int c = 0; c < C; c += 4) {
            const int at = cover(c, C);
            const v128_t v = wasm_f32x4_mul(wasm_v128_load(grow + ow * C + at), s);
            if (KW == 2) {
              wasm_v128_store(d + at, v);
              wasm_v128_store(d + C + at, v);
            } else {
              for (int k = 0; k < KW; k++) wasm_v128_store(d + k * C + at, v);
            }
          }
        continue;
      }
      for (int ow = 0; ow < OW; ow++) {
        const float *g = grow + ow * C;
        for (int k = 0; k < KW; k++, d += C)
          for (int c = 0; c < C; c++) d[c] = g[c] * scale;
      }
    }
  }
}

/*
 * dx = 0 (an image at a time), then each output's gradient · scale is added over its window
 * (scale = 1/(KH·KW)).
 */
EXPORT("avg_pool_grad")
void avg_pool_grad(const float *dy, float *dx, float scale, int N, int H, int W, int C, int OH, int OW, int KH, int KW, int SH,
                   int SW, int PT, int PL) {
  if (SH == KH && SW == KW && PT == 0 && PL == 0 && OH * KH == H && OW * KW == W) {
    avg_pool_grad_tiled(dy, dx, scale, N, H, W, C, OH, OW, KH, KW);
    return;
  }
  const v128_t s = wasm_f32x4_splat(scale);
  const float *g = dy;
  for (int n = 0; n < N; n++) {
    const int xn = n * H * W * C;
    __builtin_memset(dx + xn, 0, sizeof(float) * H * W * C); /* an image at a time, as max_pool_grad */
    for (int oh = 0; oh < OH; oh++) {
      const int h0 = max_i(0, oh * SH - PT), h1 = min_i(H, oh * SH - PT + KH);
      for (int ow = 0; ow < OW; ow++, g += C) {
        const int w0 = max_i(0, ow * SW - PL), w1 = min_i(W, ow * SW - PL + KW);
        for (int h = h0; h < h1; h++) {
          for (int w = w0; w < w1; w++) {
            float *d = dx + xn + (h * W + w) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), wasm_f32x4_mul(wasm_v128_load(g + c), s)));
            for (; c < C; c++) d[c] += g[c] * scale;
          }
        }
      }
    }
  }
}

/*
 * Average pooling where the windows tile the input exactly (stride = window, no padding,
 * nothing left over: d2l's 2x2 pooling): each output is its window's sum · scale, by the
 * covering vectors above where C >= 4 (2x2 windows unrolled), else one channel at a time.
 */
EXPORT("avg_pool_tiled")
void avg_pool_tiled(const float *x, float *y, float scale, int N, int H, int W, int C, int OH, int OW, int KH, int KW) {
  const v128_t s = wasm_f32x4_splat(scale);
  const int row = W * C;
  for (int n = 0; n < N; n++)
    for (int oh = 0; oh < OH; oh++)
      for (int ow = 0; ow < OW; ow++, y += C) {
        const float *w0 = x + ((n * H + oh * KH) * W + ow * KW) * C;
        if (C < 4) {
          for (int c = 0; c < C; c++) {
            float acc = 0.0f;
            for (int kh = 0; kh < KH; kh++)
              for (int kw = 0; kw < KW; kw++) acc += w0[kh * row + kw * C + c];
            y[c] = acc * scale;
          }
          continue;
        }
        for (int c = 0; c < C; c += 4) {
          const int at = cover(c, C);
          const float *p = w0 + at;
          v128_t acc;
          if (KH == 2 && KW == 2) {
            acc = wasm_f32x4_add(wasm_f32x4_add(wasm_v128_load(p), wasm_v128_load(p + C)),
                                 wasm_f32x4_add(wasm_v128_load(p + row), wasm_v128_load(p + row + C)));
          } else {
            acc = wasm_f32x4_splat(0.0f);
            for (int kh = 0; kh < KH; kh++)
              for (int kw = 0; kw < KW; kw++) acc = wasm_f32x4_add(acc, wasm_v128_load(p + kh * row + kw * C));
          }
          wasm_v128_store(y + at, wasm_f32x4_mul(acc, s));
        }
      }
}
