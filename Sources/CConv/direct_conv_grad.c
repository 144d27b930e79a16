// The weight gradient of a few-input-channel convolution, AVX2 + FMA, on the forward's planes:
// dW[o][t] = Σ over images and output positions of gy[o][pos] · planes[base(pos) + offs[t]].
// Output channels sit in the vector lanes (8 or 16 at a time, the output gradient transposed to
// position-major once per image), a block of taps in the accumulators, and the loop runs over
// output positions: per position 1–2 vector loads of the gradient and one broadcast per tap.
#include "CConv.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline void transpose8(__m256 r[8]) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20); r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20); r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31); r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31); r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

__attribute__((target("avx2,fma")))
void tp_conv_transpose_grad(const float *gy, int cout, int positions, int cv, float *gyT) {
    int lanes = 8 * cv, blocks = (cout + lanes - 1) / lanes;
    for (int b = 0; b < blocks; b++)
        for (int h = 0; h < cv; h++) {
            int c0 = b * lanes + 8 * h;   // channels c0 ..< c0 + 8 into lanes 8h ..< 8h + 8
            float *dst = gyT + (size_t)b * positions * lanes + 8 * h;
            int p = 0;
            for (; p + 8 <= positions; p += 8) {
                __m256 r[8];
                for (int k = 0; k < 8; k++)
                    r[k] = c0 + k < cout ? _mm256_loadu_ps(gy + (size_t)(c0 + k) * positions + p) : _mm256_setzero_ps();
                transpose8(r);
                for (int k = 0; k < 8; k++) _mm256_storeu_ps(dst + (size_t)(p + k) * lanes, r[k]);
            }
            for (; p < positions; p++)
                for (int k = 0; k < 8; k++)
                    dst[(size_t)p * lanes + k] = c0 + k < cout ? gy[(size_t)(c0 + k) * positions + p] : 0.0f;
        }
}

/// One block of TB taps × 8·CV channels over output rows [i0, i1): acc[c][τ] += g[pos][8c..] · x(pos, τ).
__attribute__((target("avx2,fma"), always_inline))
static inline void wblock(const float *planes, const int *offs, const float *g, int lanes, int i0, int i1, int ow,
                          int sh, int wq, float *dwt, const int CV, const int TB) {
    __m256 acc[2][8];
    int o[8];
    for (int t = 0; t < TB; t++) {
        o[t] = offs[t];
        for (int c = 0; c < CV; c++) acc[c][t] = _mm256_loadu_ps(dwt + (size_t)t * lanes + 8 * c);
    }
    for (int i = i0; i < i1; i++) {
        const float *row = planes + (size_t)i * sh * wq, *gr = g + (size_t)i * ow * lanes;
        for (int j = 0; j < ow; j++) {
            const float *q = row + j, *gp = gr + (size_t)j * lanes;
            __m256 g0 = _mm256_loadu_ps(gp), g1 = CV > 1 ? _mm256_loadu_ps(gp + 8) : g0;
            for (int t = 0; t < TB; t++) {
                __m256 x = _mm256_broadcast_ss(q + o[t]);
                acc[0][t] = _mm256_fmadd_ps(g0, x, acc[0][t]);
                if (CV > 1) acc[1][t] = _mm256_fmadd_ps(g1, x, acc[1][t]);
            }
        }
    }
    for (int t = 0; t < TB; t++)
        for (int c = 0; c < CV; c++) _mm256_storeu_ps(dwt + (size_t)t * lanes + 8 * c, acc[c][t]);
}

#define WB(V, N) case N: wblock(planes, offs, g, lanes, i0, i1, ow, sh, wq, dwt, V, N); return;

__attribute__((target("avx2,fma")))
static void wblock_any(int cv, int tb, const float *planes, const int *offs, const float *g, int lanes, int i0,
                       int i1, int ow, int sh, int wq, float *dwt) {
    if (cv == 2) {
        switch (tb) { WB(2, 1) WB(2, 2) WB(2, 3) WB(2, 4) WB(2, 5) WB(2, 6) }
    } else {
        switch (tb) { WB(1, 1) WB(1, 2) WB(1, 3) WB(1, 4) WB(1, 5) WB(1, 6) WB(1, 7) WB(1, 8) }
    }
}

__attribute__((target("avx2,fma")))
void tp_conv_wgrad_image(const float *planes, int cin, int sw, int hp, int wq, const float *gyT, int cv, int cout,
                         int kh, int kw, int sh, int dh, int dw, int oh, int ow, float *dwt) {
    int offs[1024];
    int taps = 0;
    for (int c = 0; c < cin; c++)
        for (int u = 0; u < kh; u++)
            for (int v = 0; v < kw; v++) {
                int col = v * dw, ph = col % sw, off = col / sw;
                offs[taps++] = ((c * sw + ph) * hp + u * dh) * wq + off;
            }
    int lanes = 8 * cv, blocks = (cout + lanes - 1) / lanes, positions = oh * ow;
    int tbmax = cv == 2 ? 6 : 8, chunks = (taps + tbmax - 1) / tbmax;
    // Rows in groups whose gradient (rows·ow·lanes floats) stays in L1 across the tap blocks.
    int rows = 2048 / (ow * lanes) > 0 ? 2048 / (ow * lanes) : 1;
    for (int b = 0; b < blocks; b++) {
        const float *g = gyT + (size_t)b * positions * lanes;
        float *d = dwt + (size_t)b * taps * lanes;
        for (int i0 = 0; i0 < oh; i0 += rows) {
            int i1 = i0 + rows < oh ? i0 + rows : oh;
            int t0 = 0;
            for (int c = 0; c < chunks; c++) {
                int tb = taps / chunks + (c < taps % chunks);
                wblock_any(cv, tb, planes, offs + t0, g, lanes, i0, i1, ow, sh, wq, d + (size_t)t0 * lanes);
                t0 += tb;
            }
        }
    }
}
#else
void tp_conv_transpose_grad(const float *gy, int cout, int positions, int cv, float *gyT) {}
void tp_conv_wgrad_image(const float *planes, int cin, int sw, int hp, int wq, const float *gyT, int cv, int cout,
                         int kh, int kw, int sh, int dh, int dw, int oh, int ow, float *dwt) {}
#endif
