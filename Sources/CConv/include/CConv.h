// Direct convolution for few input channels (the 7×7 stem, LeNet's 5×5), AVX2 + FMA.
// im2col + sgemm is wasteful there: the column matrix is Cin·k² rows by every output
// pixel, written once and packed again by OpenBLAS, for a product with K of 25–147.
// Here the input is copied once into zero-padded, column-phase-split planes, and each
// output block is accumulated in registers over all taps, by one of two kernels:
// - spatial: CB output channels (broadcast weights) × up to 48 output columns (vectors);
// - channels: 8 or 16 output channels (vector weights) × up to 8 consecutive output positions of a row
//   (broadcast inputs), for narrow outputs whose rows would leave vector lanes empty.
#pragma once

/// 1 when this CPU runs the AVX2 + FMA kernels below (and the OS saves the ymm state).
int tp_conv_direct_supported(void);

/// *counter, then one more (atomically): the workers of a conv take their pieces from such counters.
int tp_conv_next_piece(int *counter);

/// The spatial kernel's channel block for `cout` channels (4, 6, 3 or 2) and its
/// vectors of 8 columns per block (cb·vectors ≤ 12).
int tp_conv_spatial_block(int cout);
int tp_conv_spatial_vectors(int cb);

/// The planes of one image: planes[((c·sw + ph)·hp + r)·wq + q] = x[c][r − padTop][q·sw + ph − padLeft]
/// (0 outside the image), for r < hp, q < wq.
void tp_conv_phase_planes(const float *x, int cin, int h, int w, int padTop, int padLeft,
                          int sw, int hp, int wq, float *planes);

/// A band of those planes: rows row0 ..< row0 + rows of each, as planes of `rows` rows
/// (planes[((c·sw + ph)·rows + r)·wq + q] holds row row0 + r). Output rows i0 ..< i1 read plane rows
/// i0·sh ..< (i1 − 1)·sh + (kh − 1)·dh + 1: the kernels below compute them from such a band, given
/// rows as their hp, output rows from 0 and `out` advanced by i0·ow.
void tp_conv_phase_plane_band(const float *x, int cin, int h, int w, int padTop, int padLeft,
                              int sw, int row0, int rows, int wq, float *planes);

/// Weights (Cout, taps) packed as [⌈Cout/cb⌉][taps][cb], zeros past Cout.
void tp_conv_pack_weights(const float *w, int cout, int taps, int cb, float *packed);

/// Spatial kernel: output rows [row0, row1) of one image, every channel: out (Cout, oh, ow),
/// bias or NULL, weights packed with cb = tp_conv_spatial_block(cout) (or another of 4, 6, 3, 2).
/// taps = cin·kh·kw ≤ 1024; planes as made above with wq ≥ ⌈ow/8⌉·8 + ((kw−1)·dw)/sw + 1.
void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1);

/// The spatial kernel with Winograd's F(n, r) along output rows (direct_conv_rows_winograd.c): n output rows
/// per tile for a kh-row kernel of row stride sh (r = ⌈kh/sh⌉ taps per row phase, n = 8 − r), 0 where it does
/// not apply (r outside 3…5, sh > 2, dh ≠ 1).
int tp_conv_rowwino_tile(int kh, int sh, int dh);

/// Floats of scratch one worker needs for tp_conv_rowwino_rows.
long tp_conv_rowwino_scratch(int cin, int sh, int sw, int wq);

/// Weights (Cout, Cin, kh, kw) transformed for tp_conv_rowwino_rows: [7 points][⌈Cout/cb⌉][cin·sh·kw][cb].
void tp_conv_rowwino_pack(const float *w, int cout, int cin, int kh, int kw, int sh, int cb, float *packed);

/// Output rows [row0, row1) as tp_conv_direct_rows computes them (dh = 1), by tiles of n rows: rows left over
/// past the last whole tile, and tiles with an inf or NaN output, by tp_conv_direct_rows (weights `packed`).
/// The planes must hold sh·(row1 − 1 + r) rows past output row 0 (r = 8 − n; rows past the image are zeros).
/// wide = 1 takes the products in the wide kernel's blocks of 16 columns a vector, and its plain sums
/// (planes as for tp_conv_direct_rows_wide; `native` as there); 0 in the AVX2 kernel's blocks of 8.
void tp_conv_rowwino_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packedT,
                          const float *packed, int cb, int cout, int kh, int kw, int sh, int dw, const float *bias,
                          float *out, int oh, int ow, int row0, int row1, float *scratch, int wide, int native);

/// Tap offsets in the planes relative to output position (0, 0), taps in (c, u, v) order; their count.
int tp_conv_tap_offsets(int *offs, int cin, int sw, int hp, int wq, int kh, int kw, int dh, int dw);

/// 1 when this CPU runs AVX-512F (with AVX2 + FMA) and the OS saves the zmm state: the wide
/// kernels' AVX-512F builds (`direct_conv_wide.c`) run there.
int tp_conv_wide_supported(void);

/// The wide spatial kernel's vectors of 16 columns per channel block of `cb` (4, 6, 3 or 2).
int tp_conv_wide_vectors(int cb);

/// The spatial kernel with vectors of 16 columns (`direct_conv_wide.c`): as tp_conv_direct_rows,
/// with planes of wq ≥ ⌈ow/16⌉·16 + ((kw−1)·dw)/sw + 1. native = 1 runs the AVX-512F build (when
/// the CPU has it), 0 the same kernel built for AVX2 + FMA (each vector a pair of ymm).
void tp_conv_direct_rows_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int row0, int row1, int native);

/// The channel kernel with vectors of 16 channels: as tp_conv_direct_positions, weights packed with
/// cb = 16·cv (cv 1 or 2); native as for tp_conv_direct_rows_wide.
void tp_conv_direct_positions_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                                   int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                                   float *out, int oh, int ow, int pos0, int pos1, int native);

/// Channel kernel: output positions [pos0, pos1) (row-major over oh × ow) of one image, every
/// channel; weights packed with cb = 8·cv (cv 1 or 2). Planes as for the spatial kernel.
void tp_conv_direct_positions(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int pos0, int pos1);

/// The output gradient of one image (cout, positions) transposed for the weight-gradient kernel:
/// gyT[b][pos][l] = gy[b·lanes + l][pos] (0 past cout), lanes = 8·cv (cv 1 or 2).
void tp_conv_transpose_grad(const float *gy, int cout, int positions, int cv, float *gyT);

/// The weight gradient's share of one image, added into dwt[b][t][l] (the gradient of weight
/// (b·lanes + l, tap t), taps in (c, u, v) order): Σ over output positions of gyT[b][pos][l] ·
/// planes[pos's origin + tap t's offset]. Planes as for the forward kernels of this convolution.
void tp_conv_wgrad_image(const float *planes, int cin, int sw, int hp, int wq, const float *gyT, int cv, int cout,
                         int kh, int kw, int sh, int dh, int dw, int oh, int ow, float *dwt);
