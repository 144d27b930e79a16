#include "CConv.h"
#include "direct_conv_drivers.h"
#include <string.h>

/// Channel-block size of the spatial kernel for `cout` output channels: the one of
/// 4, 6, 3, 2 that leaves the fewest empty lanes in the last block (first on ties).
int tp_conv_spatial_block(int cout) {
    static const int sizes[4] = {4, 6, 3, 2};
    int best = 4, waste = 1 << 30;
    for (int i = 0; i < 4; i++) {
        int b = sizes[i], wst = (cout + b - 1) / b * b - cout;
        if (wst < waste) { waste = wst; best = b; }
    }
    return best;
}

int tp_conv_next_piece(int *counter) { return __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED); }

/// Vectors of 8 columns the spatial kernel keeps per channel block of `cb` (cb·nv ≤ 12 accumulators).
int tp_conv_spatial_vectors(int cb) { return cb == 4 ? 3 : cb == 6 ? 2 : cb == 3 ? 4 : 6; }

#if defined(__x86_64__)
#include <immintrin.h>
#include "../CCPUID/shim.h"   // the features TensorCore reports (BLASCore.features)
#include "direct_conv_spatial.h"

int tp_conv_direct_supported(void) {
    unsigned int f = tensorpad_cpu_features();
    return (f & 12u) == 12u;  // AVX2 (4) and FMA (8), with the ymm state saved by the OS
}

int tp_conv_tap_offsets(int *offs, int cin, int sw, int hp, int wq, int kh, int kw, int dh, int dw) {
    int t = 0;
    for (int c = 0; c < cin; c++)
        for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++) {
                int col = v * dw, ph = col % sw, off = col / sw;
                offs[t++] = ((c * sw + ph) * hp + u * dh) * wq + off;
            }
    return t;
}

void tp_conv_rows_with(tp_spatial_block_fn block, int width, int nvmax, const float *planes, int cin, int sw,
                       int hp, int wq, const float *packed, int cb, int cout, int kh, int kw, int sh, int dh, int dw,
                       const float *bias, float *out, int oh, int ow, int row0, int row1) {
    int offs[1024];
    int taps = tp_conv_tap_offsets(offs, cin, sw, hp, wq, kh, kw, dh, dw);
    int blocks = (cout + cb - 1) / cb;
    int nvec = (ow + width - 1) / width;
    int chunks = (nvec + nvmax - 1) / nvmax;   // column chunks of near-equal vector counts
    size_t cstride = (size_t)oh * ow;
    for (int i = row0; i < row1; i++) {
        const float *row = planes + (size_t)i * sh * wq;
        for (int b = 0; b < blocks; b++) {
            int channels = cout - cb * b < cb ? cout - cb * b : cb;
            float biasb[TP_MAXCB] = {0};
            if (bias) for (int o = 0; o < channels; o++) biasb[o] = bias[cb * b + o];
            const float *wb = packed + (size_t)b * taps * cb;
            int j0 = 0;
            for (int c = 0; c < chunks; c++) {
                int nv = nvec / chunks + (c < nvec % chunks);
                int valid = ow - j0 < width * nv ? ow - j0 : width * nv;
                block(cb, nv, row + j0, offs, taps, wb, biasb, out + ((size_t)cb * b * oh + i) * ow + j0,
                      cstride, valid, channels);
                j0 += width * nv;
            }
        }
    }
}

void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1) {
    tp_conv_rows_with(tp_block8_any, 8, tp_conv_spatial_vectors(cb), planes, cin, sw, hp, wq, packed, cb, cout, kh, kw,
                      sh, dh, dw, bias, out, oh, ow, row0, row1);
}

/// One block: 8·CV output channels (in the lanes) × PB consecutive output positions of one row
/// (CV·PB ≤ 12, PB ≤ 8), summed over every tap; position p reads base[offs[t] + p]. The sums are
/// transposed through a small buffer into the NCHW output, where the PB positions are consecutive.
__attribute__((target("avx2,fma"), always_inline))
static inline void cblock(const float *base, const int *offs, int taps, const float *wb, const float *bias,
                          float *dst, size_t cstride, int channels, const int CV, const int PB) {
    __m256 acc[2][8];
    for (int c = 0; c < CV; c++) {
        __m256 b = _mm256_loadu_ps(bias + 8 * c);
        for (int p = 0; p < PB; p++) acc[c][p] = b;
    }
    for (int t = 0; t < taps; t++) {
        const float *xt = base + offs[t];
        const float *wt = wb + 8 * CV * t;
        __m256 w0 = _mm256_loadu_ps(wt), w1 = CV > 1 ? _mm256_loadu_ps(wt + 8) : w0;
        for (int p = 0; p < PB; p++) {
            __m256 x = _mm256_broadcast_ss(xt + p);
            acc[0][p] = _mm256_fmadd_ps(w0, x, acc[0][p]);
            if (CV > 1) acc[1][p] = _mm256_fmadd_ps(w1, x, acc[1][p]);
        }
    }
    float buf[8][16];
    for (int p = 0; p < PB; p++)
        for (int c = 0; c < CV; c++) _mm256_storeu_ps(&buf[p][8 * c], acc[c][p]);
    for (int o = 0; o < channels; o++) {
        float *d = dst + (size_t)o * cstride;
        for (int p = 0; p < PB; p++) d[p] = buf[p][o];
    }
}

#define CB_(V, N) case N: cblock(base, offs, taps, wb, bias, dst, cstride, channels, V, N); return;

__attribute__((target("avx2,fma")))
static void cblock_any(int cv, int pb, const float *base, const int *offs, int taps, const float *wb,
                       const float *bias, float *dst, size_t cstride, int channels) {
    if (cv == 2) {
        switch (pb) { CB_(2, 1) CB_(2, 2) CB_(2, 3) CB_(2, 4) CB_(2, 5) CB_(2, 6) }
    } else {
        switch (pb) {
            CB_(1, 1) CB_(1, 2) CB_(1, 3) CB_(1, 4) CB_(1, 5) CB_(1, 6) CB_(1, 7) CB_(1, 8)
        }
    }
}

void tp_conv_positions_with(tp_channel_block_fn block, int width, int pbmax, const float *planes, int cin, int sw,
                            int hp, int wq, const float *packed, int cv, int cout, int kh, int kw, int sh, int dh,
                            int dw, const float *bias, float *out, int oh, int ow, int pos0, int pos1) {
    int offs[1024];
    int taps = tp_conv_tap_offsets(offs, cin, sw, hp, wq, kh, kw, dh, dw);
    int lanes = width * cv, blocks = (cout + lanes - 1) / lanes, count = pos1 - pos0;
    if (count <= 0 || pbmax > TP_MAX_POSITIONS || lanes > 32) return;
    size_t cstride = (size_t)oh * ow;
    for (int b = 0; b < blocks; b++) {
        int channels = cout - lanes * b < lanes ? cout - lanes * b : lanes;
        float biasb[32] = {0};
        if (bias) for (int o = 0; o < channels; o++) biasb[o] = bias[lanes * b + o];
        const float *wb = packed + (size_t)b * taps * lanes;
        // Runs of consecutive positions within one output row, each cut into chunks of near-equal
        // sizes: a chunk's positions are consecutive in every plane, so the block reads them all
        // from one base pointer (one general register, not one per position).
        for (int p0 = pos0; p0 < pos1;) {
            int i = p0 / ow, j = p0 % ow, run = ow - j < pos1 - p0 ? ow - j : pos1 - p0;
            int chunks = (run + pbmax - 1) / pbmax;
            const float *row = planes + (size_t)i * sh * wq;
            for (int c = 0; c < chunks; c++) {
                int pb = run / chunks + (c < run % chunks);
                block(cv, pb, row + j, offs, taps, wb, biasb, out + (size_t)lanes * b * cstride + p0, cstride, channels);
                p0 += pb;
                j += pb;
            }
        }
    }
}

void tp_conv_direct_positions(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int pos0, int pos1) {
    tp_conv_positions_with(cblock_any, 8, cv == 2 ? 6 : 8, planes, cin, sw, hp, wq, packed, cv, cout, kh, kw, sh, dh,
                           dw, bias, out, oh, ow, pos0, pos1);
}
#else
int tp_conv_direct_supported(void) { return 0; }
void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1) {}
void tp_conv_direct_positions(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int pos0, int pos1) {}
#endif

void tp_conv_phase_planes(const float *x, int cin, int h, int w, int padTop, int padLeft,
                          int sw, int hp, int wq, float *planes) {
    tp_conv_phase_plane_band(x, cin, h, w, padTop, padLeft, sw, 0, hp, wq, planes);
}

void tp_conv_phase_plane_band(const float *x, int cin, int h, int w, int padTop, int padLeft,
                              int sw, int row0, int rows, int wq, float *planes) {
    for (int c = 0; c < cin; c++)
        for (int ph = 0; ph < sw; ph++)
            for (int rl = 0; rl < rows; rl++) {
                int r = row0 + rl;
                float *dst = planes + ((size_t)(c * sw + ph) * rows + rl) * wq;
                int sr = r - padTop;
                if (sr < 0 || sr >= h) { memset(dst, 0, (size_t)wq * sizeof(float)); continue; }
                const float *src = x + ((size_t)c * h + sr) * w;
                if (sw == 1) {
                    // The common case: zeros, the row, zeros.
                    int lo = padLeft < wq ? padLeft : wq, n = w < wq - lo ? w : wq - lo;
                    memset(dst, 0, (size_t)lo * sizeof(float));
                    memcpy(dst + lo, src, (size_t)n * sizeof(float));
                    memset(dst + lo + n, 0, (size_t)(wq - lo - n) * sizeof(float));
                    continue;
                }
                // Columns q·sw + ph − padLeft: zeros left of the image, a strided copy, zeros right of it.
                int off = ph - padLeft;
                int lo = off >= 0 ? 0 : (-off + sw - 1) / sw, hi = (w - off + sw - 1) / sw;
                if (lo > wq) lo = wq;
                if (hi > wq) hi = wq;
                if (hi < lo) hi = lo;
                for (int q = 0; q < lo; q++) dst[q] = 0.0f;
                for (int q = lo; q < hi; q++) dst[q] = src[q * sw + off];
                for (int q = hi; q < wq; q++) dst[q] = 0.0f;
            }
}

void tp_conv_pack_weights(const float *w, int cout, int taps, int cb, float *packed) {
    int blocks = (cout + cb - 1) / cb;
    for (int b = 0; b < blocks; b++)
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < cb; o++) {
                int oc = cb * b + o;
                packed[((size_t)b * taps + t) * cb + o] = oc < cout ? w[(size_t)oc * taps + t] : 0.0f;
            }
}
