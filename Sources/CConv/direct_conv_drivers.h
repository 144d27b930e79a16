// The loops shared by the direct kernels of both vector widths (direct_conv.c: AVX2, 8 floats a
// vector; direct_conv_wide.c: 16): they walk output rows or positions, channel blocks and chunks,
// and hand each block to the width's block function; the row Winograd (direct_conv_rows_winograd.c)
// takes the same spatial blocks for its products. Private to CConv.
#pragma once
#include <stddef.h>

enum { TP_MAX_POSITIONS = 12 };

/// CB channels × nv vectors of `width` columns from `base`, summed over the taps (`sblock`).
typedef void (*tp_spatial_block_fn)(int cb, int nv, const float *base, const int *offs, int taps, const float *wb,
                                    const float *bias, float *dst, size_t cstride, int valid, int channels);
/// width·cv channels in the lanes × pb consecutive positions of one output row, the first at `base`
/// (position p at base + p in every plane), summed over the taps (`cblock`).
typedef void (*tp_channel_block_fn)(int cv, int pb, const float *base, const int *offs, int taps,
                                    const float *wb, const float *bias, float *dst, size_t cstride, int channels);

/// tp_conv_direct_rows with blocks of `nvmax` vectors of `width` columns at most (cb ≤ 6).
void tp_conv_rows_with(tp_spatial_block_fn block, int width, int nvmax, const float *planes, int cin, int sw,
                       int hp, int wq, const float *packed, int cb, int cout, int kh, int kw, int sh, int dh, int dw,
                       const float *bias, float *out, int oh, int ow, int row0, int row1);

/// tp_conv_direct_positions with channel blocks of width·cv lanes (≤ 32) and chunks of up to
/// `pbmax` (≤ TP_MAX_POSITIONS) positions.
void tp_conv_positions_with(tp_channel_block_fn block, int width, int pbmax, const float *planes, int cin, int sw,
                            int hp, int wq, const float *packed, int cv, int cout, int kh, int kw, int sh, int dh,
                            int dw, const float *bias, float *out, int oh, int ow, int pos0, int pos1);
