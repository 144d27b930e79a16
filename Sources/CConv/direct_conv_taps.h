// The tap loop both 8-float spatial blocks share: `sblock` (direct_conv.c, the direct conv) and
// `mblock` (direct_conv_rows_winograd.c, the row Winograd's products). Included after
// <immintrin.h> inside their x86-64 sections.
#pragma once

enum { TP_MAXCB = 6, TP_MAXNV = 6 };

/// acc[o][v] = init[o] + Σ_t wb[CB·t + o] · base[offs[t] + 8v … + 8]: CB channels × NV vectors of
/// 8 columns. CB and NV are constants at every call (the callers switch on them), so the loops
/// unroll and, inlined, the accumulators live in registers; the loop keeps the smaller of the CB
/// broadcasts and the NV loads in registers and streams the other.
__attribute__((target("avx2,fma"), always_inline))
static inline void tp_taps8(__m256 acc[TP_MAXCB][TP_MAXNV], const float *base, const int *offs, int taps,
                            const float *wb, const float *init, const int CB, const int NV) {
    for (int o = 0; o < CB; o++) {
        __m256 b = _mm256_set1_ps(init[o]);
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
}
