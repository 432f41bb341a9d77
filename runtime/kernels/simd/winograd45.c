/*
 * The filter gradient of 5x5 convolutions with unit stride by Winograd's F(4x4, 5x5): a 4x4
 * block of outputs from the 8x8 input patch under it, 64 products per (input, output) channel
 * pair where F(2x2, 5x5) took 36 for a 2x2 block: 4 a output instead of 9.
 * Its 1-D transforms are F(4, 5)'s (rows45.h: points 0, ±1, ±2, ±1/2, ∞), applied down the
 * columns and then along the rows by winograd_gen.h; dW = G'ᵀ [Σ_tiles (A δ Aᵀ) ⊙ (Bᵀ' d B')] G'.
 * LeNet's second layer: 10x10 outputs are 9 tiles of 64 an image, 576 products, where
 * F(2x2, 5x5) took 25 of 36, 900 (its kernel, since removed: 1.42 → 1.13 ms warm, one thread);
 * over 3 or more outputs a side 4x4 tiles always do fewer. Channels need not fill lanes
 * (winograd_gen.h's input transform overlaps the last four). Phases, chunks and threading as
 * in winograd.c, through its shared loops with 64 components.
 */
#include "rows45.h"
#include "winograd_gen.h"

#define BT8(x, y) ROWS45_BT(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7])
#define A84(x, y) ROWS45_A(x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7])
#define GT58(x, y) ROWS45_GT(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], y[0], y[1], y[2], y[3], y[4])
#define G85(x, y) ROWS45_G(x[0], x[1], x[2], x[3], x[4], y[0], y[1], y[2], y[3], y[4], y[5], y[6], y[7])
/* Aᵀ with a bias of -0 (x + -0 is x, so the compiler drops those adds; winograd_gen.h adds the bias). */
#define AT48(x, y) ROWS45_AT(x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7], wasm_f32x4_splat(-0.0f), y[0], y[1], y[2], y[3])

/* F(4x4, 5x5)'s filter transform (scratch: 40 vectors), input and output transforms, dy transform and filter-gradient finish (winograd_gen.h). */
WINOGRAD_FILTER(winograd45_filter, 5, 8, G85)
WINOGRAD_INPUTS(transform_inputs8, 8, 8, WINOGRAD_ORIGIN, BT8)
WINOGRAD_OUTPUTS(transform_out45, 8, 4, AT48)
WINOGRAD_DY(transform_dy45, 4, 8, A84)
WINOGRAD_FINISH(winograd45_filter_grad_finish, 8, 5, GT58)

/* As winograd_forward with 5x5 filters, 4x4 tiles and 8x8 patches (scratch: winograd_scratch_floats with 64 points); u from winograd45_filter. */
EXPORT("winograd45_forward")
void winograd45_forward(const float *x, const float *u, const float *bias, float *out, float *scratch, int t0, int t1, int chunk,
                        int H, int W, int C, int OH, int OW, int O, int PT, int PL) {
  winograd_forward_tiles(x, u, bias, out, scratch, t0, t1, chunk, 4, 64, transform_inputs8, transform_out45, H, W, C, OH, OW, O, PT, PL);
}

/* As winograd_filter_grad with 5x5 filters, 4x4 tiles and 8x8 patches (scratch: winograd_grad_scratch_floats with 64 points); winograd45_filter_grad_finish transforms back. */
EXPORT("winograd45_filter_grad")
void winograd45_filter_grad(const float *x, const float *dy, float *scratch, int t0, int t1, int chunk,
                            int H, int W, int C, int OH, int OW, int O, int PT, int PL, int CR) {
  winograd_gradient_sums(x, dy, scratch, t0, t1, chunk, 4, 64, transform_inputs8, transform_dy45, H, W, C, OH, OW, O, PT, PL, CR);
}
