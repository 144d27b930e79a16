// The weight, input and output transforms of Winograd's F(2×2, 3×3) (Sources/TensorCore/Kernels/Winograd.swift
// runs the products between them through sgemm). Plain C, vectorised along a row of tiles by the
// compiler: AVX2 + FMA code when the CPU has it (chosen at run time from cpuid), SSE otherwise.
// Both produce the same bits: every value is the same sequence of float additions.
#pragma once

/// U[k][ci] = (G g Gᵀ)[k] for one output channel's filters g = w[ci] (cin filters of 3 × 3),
/// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]; U[k][ci] is at u[k·kstride + ci].
void tp_wino_weights(const float *w, int cin, float *u, long kstride);

/// V[k][c][t] = (Bᵀ d B)[k] for the 4×4 patch d of every tile t of tile rows ty0 ..< ty1 of every
/// channel c < cin of one image (cin planes of h × w, zero-padded by padTop / padLeft; rows and
/// columns past the image are zeros), Bᵀ = [[1, 0, −1, 0], [0, 1, 1, 0], [0, −1, 1, 0], [0, 1, 0, −1]].
/// U[k][ci] = (G g Gᵀ)[k] for one output channel's filters g = w[ci] (cin filters of 3 × 3),
/// G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]]; U[k][ci] is at u[k·kstride + ci].
void tp_wino_weights(const float *w, int cin, float *u, long kstride);

/// V[k][c][t] is at v[k·kstride + c·cstride + t], t = (ty − ty0)·tilesW + tx.
/// `scratch`: tp_wino_input_scratch(tilesW) floats.
void tp_wino_input(const float *image, int cin, int h, int w, int padTop, int padLeft, int ty0, int ty1,
                   int tilesW, float *v, long cstride, long kstride, float *scratch);
long tp_wino_input_scratch(int tilesW);

/// out[co] (planes of oh × ow) for tile rows ty0 ..< ty1 of channels co < cout: Y = Aᵀ m A + bias[co]
/// (bias may be NULL), Aᵀ = [[1, 1, 1, 0], [0, 1, −1, −1]], m[k] = M[k][co][t] at
/// m[k·kstride + co·cstride + t]. Outputs past oh, ow (half tiles) are computed and not written.
/// With zeroM, the M values read are set to zero (the next products accumulate into them). Returns 1 when
/// an output (written or not) is not finite, else 0. `scratch`: tp_wino_output_scratch(tilesW) floats.
int tp_wino_output(float *m, int cout, long cstride, long kstride, const float *bias, int ty0, int ty1,
                   int tilesW, int oh, int ow, float *out, float *scratch, int zeroM);
long tp_wino_output_scratch(int tilesW);

/// 1 when this CPU runs the AVX2 + FMA code (transforms and tp_wino_products).
int tp_wino_avx2(void);

/// Tests: 1 runs the generic (SSE) transforms and reports no AVX2 as if on an older CPU; 0 goes
/// back to cpuid's answer.
void tp_wino_set_generic(int on);

/// Transformed weights for tp_wino_products: output channels cb·6 ..< cb·6 + 6 (those ≥ cout zero) of
/// w (cout × cin × 3 × 3), U[k] in blocks of 6 channels with the channel fastest:
/// U[k][co][ci] at u[k·kstride + ((co / 6)·cin + ci)·6 + co % 6] (⌈cout / 6⌉·6·cin floats per k).
void tp_wino_weights_blocked(const float *w, int cb, int cout, int cin, float *u, long kstride);

/// 1 when this CPU runs AVX-512F (with AVX2 + FMA) and the OS saves the zmm state.
int tp_wino_avx512(void);

/// M[k] = U[k] · V[k] for the 16 k (AVX2 + FMA only: call when tp_wino_avx2()): U as
/// tp_wino_weights_blocked lays it out (U[k] at u + k·ustride), V[k][ci][t] at v[k·vstride + ci·tiles8 + t],
/// M[k][co][t] at m[k·mstride + co·tiles8 + t]; tiles8 is tiles rounded up to a multiple of 8. V's
/// columns tiles ..< tiles8 are zeroed first; M is overwritten (columns past `tiles` hold their products).
/// wide = 1 takes vectors of 16 tiles: the AVX-512F build where tp_wino_avx512(), else its AVX2 build.
void tp_wino_products(const float *u, long ustride, float *v, long vstride, float *m, long mstride, int cout, int cin,
                      int tiles, int tiles8, int wide);
