// Direct convolution for few input channels (the 7×7 stem, LeNet's 5×5), AVX2 + FMA.
// im2col + sgemm is wasteful there: the column matrix is Cin·k² rows by every output
// pixel, written once and packed again by OpenBLAS, for a product with K of 25–147.
// Here the input is copied once into zero-padded, column-phase-split planes, and each
// output block (4 channels × up to 24 columns) is accumulated in registers over all taps.
#pragma once

/// 1 when this CPU runs the AVX2 + FMA kernel below (and the OS saves the ymm state).
int tp_conv_direct_supported(void);

/// The planes of one image: planes[((c·sw + ph)·hp + r)·wq + q] = x[c][r − padTop][q·sw + ph − padLeft]
/// (0 outside the image), for r < hp, q < wq.
void tp_conv_phase_planes(const float *x, int cin, int h, int w, int padTop, int padLeft,
                          int sw, int hp, int wq, float *planes);

/// Weights (Cout, taps) packed as [⌈Cout/4⌉][taps][4], zeros past Cout.
void tp_conv_pack_weights4(const float *w, int cout, int taps, float *packed);

/// Output rows [row0, row1) of one image, every channel: out (Cout, oh, ow), bias or NULL.
/// taps = cin·kh·kw ≤ 1024; planes as made above with wq ≥ ⌈ow/8⌉·8 + ((kw−1)·dw)/sw + 1.
void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1);
