// The spatial kernel's blocks at both vector widths, as static functions of the file that includes
// this (inside its x86-64 section): the direct kernels (direct_conv.c,
// direct_conv_wide.c) and the row Winograd's products (direct_conv_rows_winograd.c), where they
// inline into its tiles. Private to CConv.
#pragma once
#include <immintrin.h>
#include <stddef.h>
#include <string.h>

enum { TP_MAXCB = 6, TP_MAXNV = 6 };

/// One block: CB output channels × NV vectors of 8 columns, summed over every tap, stored to
/// `channels` planes. `base` points at the block's first column in the planes; offs[t] is tap t's
/// offset from it. CB and NV are constants at every call (the switch below), so the loops unroll
/// and the accumulators live in registers; the tap loop keeps the smaller of the CB broadcasts and
/// the NV loads in registers and streams the other. The row Winograd (direct_conv_rows_winograd.c)
/// takes the same blocks for its products, stored whole (cstride = 8·NV, valid = 8·NV).
__attribute__((target("avx2,fma"), always_inline))
static inline void sblock(const float *base, const int *offs, int taps, const float *wb, const float *bias,
                          float *dst, size_t cstride, int valid, int channels, const int CB, const int NV) {
    __m256 acc[TP_MAXCB][TP_MAXNV];
    for (int o = 0; o < CB; o++) {
        __m256 b = _mm256_set1_ps(bias[o]);
        for (int v = 0; v < NV; v++) acc[o][v] = b;
    }
    if (NV <= CB) {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t], *wt = wb + CB * t;
            __m256 x[TP_MAXNV];
            for (int v = 0; v < NV; v++) x[v] = _mm256_loadu_ps(p + 8 * v);
            for (int o = 0; o < CB; o++) {
                __m256 w = _mm256_broadcast_ss(wt + o);
                for (int v = 0; v < NV; v++) acc[o][v] = _mm256_fmadd_ps(w, x[v], acc[o][v]);
                // Keeps the next broadcast below these FMAs: with CB·NV + NV = 15 ymm in use, a
                // hoisted broadcast needs a 17th register and clang then spills an accumulator.
                if (CB * NV + NV >= 15) __asm__ volatile("" ::: "memory");
            }
        }
    } else {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t], *wt = wb + CB * t;
            __m256 w[TP_MAXCB];
            for (int o = 0; o < CB; o++) w[o] = _mm256_broadcast_ss(wt + o);
            for (int v = 0; v < NV; v++) {
                __m256 x = _mm256_loadu_ps(p + 8 * v);
                for (int o = 0; o < CB; o++) acc[o][v] = _mm256_fmadd_ps(w[o], x, acc[o][v]);
            }
        }
    }
    // Every index constant once the loops unroll, so that the accumulators stay in registers (a loop that
    // breaks at `channels` kept them in memory).
    float tmp[TP_MAXNV * 8];
    for (int o = 0; o < CB; o++) {
        float *d = dst + (size_t)o * cstride;
        if (valid == 8 * NV && o < channels) {
            for (int v = 0; v < NV; v++) _mm256_storeu_ps(d + 8 * v, acc[o][v]);
        } else if (o < channels) {
            for (int v = 0; v < NV; v++) _mm256_storeu_ps(tmp + 8 * v, acc[o][v]);
            memcpy(d, tmp, (size_t)valid * sizeof(float));
        }
    }
}

#define SB(C, N) case N: sblock(base, offs, taps, wb, bias, dst, cstride, valid, channels, C, N); return;

__attribute__((target("avx2,fma"), unused))
static void tp_block8_any(int cb, int nv, const float *base, const int *offs, int taps, const float *wb,
                       const float *bias, float *dst, size_t cstride, int valid, int channels) {
    switch (cb) {
    case 4: switch (nv) { SB(4, 1) SB(4, 2) SB(4, 3) } return;
    case 6: switch (nv) { SB(6, 1) SB(6, 2) } return;
    case 3: switch (nv) { SB(3, 1) SB(3, 2) SB(3, 3) SB(3, 4) } return;
    case 2: switch (nv) { SB(2, 1) SB(2, 2) SB(2, 3) SB(2, 4) SB(2, 5) SB(2, 6) } return;
    }
}

// Vectors of 16 floats: each block written once with clang's generic vectors and built twice, for
// AVX-512F (what such a CPU runs) and for AVX2 + FMA (each vector a pair of ymm; every machine the
// tests run on).
typedef float vf16 __attribute__((vector_size(64)));
typedef float vf16u __attribute__((vector_size(64), aligned(4)));

enum { WMAXCB = 6, WMAXNV = 8 };

// A macro, not a function: a function returning a 64-byte vector has no fixed ABI between the
// two targets.
#define splat(s) ((vf16){(s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s)})

/// One block: CB output channels × NV vectors of 16 columns, summed over every tap; as
/// `sblock` in direct_conv.c. Target-independent: it takes the target of the function it is
/// inlined into.
static inline __attribute__((always_inline))
void wblock(const float *base, const int *offs, int taps, const float *wb, const float *bias,
            float *dst, size_t cstride, int valid, int channels, const int CB, const int NV) {
    vf16 acc[WMAXCB][WMAXNV];
    for (int o = 0; o < CB; o++) {
        vf16 b = splat(bias[o]);
        for (int v = 0; v < NV; v++) acc[o][v] = b;
    }
    if (NV <= CB) {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t], *wt = wb + CB * t;
            vf16 x[WMAXNV];
            for (int v = 0; v < NV; v++) x[v] = *(const vf16u *)(p + 16 * v);
            for (int o = 0; o < CB; o++) {
                vf16 w = splat(wt[o]);
                for (int v = 0; v < NV; v++) acc[o][v] = __builtin_elementwise_fma(w, x[v], acc[o][v]);
            }
        }
    } else {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t], *wt = wb + CB * t;
            vf16 w[WMAXCB];
            for (int o = 0; o < CB; o++) w[o] = splat(wt[o]);
            for (int v = 0; v < NV; v++) {
                vf16 x = *(const vf16u *)(p + 16 * v);
                for (int o = 0; o < CB; o++) acc[o][v] = __builtin_elementwise_fma(w[o], x, acc[o][v]);
            }
        }
    }
    // Every index constant once the loops unroll, so that the accumulators stay in registers (a loop that
    // breaks at `channels` kept them in memory).
    float tmp[WMAXNV * 16];
    for (int o = 0; o < CB; o++) {
        float *d = dst + (size_t)o * cstride;
        if (valid == 16 * NV && o < channels) {
            for (int v = 0; v < NV; v++) *(vf16u *)(d + 16 * v) = acc[o][v];
        } else if (o < channels) {
            for (int v = 0; v < NV; v++) *(vf16u *)(tmp + 16 * v) = acc[o][v];
            memcpy(d, tmp, (size_t)valid * sizeof(float));
        }
    }
}

#define WB(C, N) case N: wblock(base, offs, taps, wb, bias, dst, cstride, valid, channels, C, N); return;
#define WBLOCK_ANY(NAME, TARGET)                                                                          \
    __attribute__((target(TARGET), unused)) static void NAME(int cb, int nv, const float *base, const int *offs,   \
                                                     int taps, const float *wb, const float *bias,         \
                                                     float *dst, size_t cstride, int valid, int channels) { \
        switch (cb) {                                                                                      \
        case 4: switch (nv) { WB(4, 1) WB(4, 2) WB(4, 3) WB(4, 4) WB(4, 5) } return;                       \
        case 6: switch (nv) { WB(6, 1) WB(6, 2) WB(6, 3) WB(6, 4) } return;                                \
        case 3: switch (nv) { WB(3, 1) WB(3, 2) WB(3, 3) WB(3, 4) WB(3, 5) WB(3, 6) WB(3, 7) } return;     \
        case 2: switch (nv) { WB(2, 1) WB(2, 2) WB(2, 3) WB(2, 4) WB(2, 5) WB(2, 6) WB(2, 7) WB(2, 8) }    \
            return;                                                                                        \
        }                                                                                                  \
    }

WBLOCK_ANY(tp_block16_avx512, "avx512f,avx2,fma")
WBLOCK_ANY(tp_block16_avx2, "avx2,fma")
