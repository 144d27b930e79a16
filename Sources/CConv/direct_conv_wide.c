// The direct kernels with vectors of 16 floats, for CPUs with AVX-512F (Intel Xeons from
// Skylake-SP on, AMD from Zen 4): twice the work per FMA of the AVX2 kernels in direct_conv.c,
// and 32 vector registers, so bigger blocks. The spatial kernel takes 16 columns per vector,
// the channel kernel 16 output channels. Each block is written once with clang's generic
// vectors and compiled twice: for AVX-512F (what such a CPU runs), and for AVX2 + FMA, where
// each vector is a pair of ymm registers. The second runs on any machine the tests run on, so
// the wide kernels' blocking, tails and edges are checked against the definition even where
// no AVX-512 exists.
#include "CConv.h"
#include "direct_conv_drivers.h"
#include <string.h>

/// Vectors of 16 columns per channel block of `cb` (4, 6, 3 or 2): the accumulators, the
/// streamed operands and one more stay within the 32 zmm registers.
int tp_conv_wide_vectors(int cb) { return cb == 4 ? 5 : cb == 6 ? 4 : cb == 3 ? 7 : 8; }

#if defined(__x86_64__)
#include "../CCPUID/shim.h"   // the features TensorCore reports (BLASCore.features)

/// cpuid once: under a hypervisor each cpuid is a VM exit (the row Winograd asked on every call of
/// `tp_conv_rowwino_rows`, 28 times a stem image: 5.6 % of the stem's time on a KVM Xeon, perf).
int tp_conv_wide_supported(void) {
    static int state = -1;   // written once (racing writers store the same value)
    int s = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (s < 0) {
        s = (tensorpad_cpu_features() & 28u) == 28u;  // AVX2 (4), FMA (8), AVX-512F (16), zmm state saved by the OS
        __atomic_store_n(&state, s, __ATOMIC_RELAXED);
    }
    return s;
}

#include "direct_conv_spatial.h"

enum { WMAXPB = 12 };

/// Whether to run the AVX-512F build: asked for, and the CPU has it.
static int use_avx512(int native) { return native && tp_conv_wide_supported(); }

/// One block: 16·CV output channels (in the lanes) × PB consecutive output positions of one row,
/// summed over every tap; as `cblock` in direct_conv.c.
static inline __attribute__((always_inline))
void wcblock(const float *base, const int *offs, int taps, const float *wb, const float *bias,
             float *dst, size_t cstride, int channels, const int CV, const int PB) {
    vf16 acc[2][WMAXPB];
    for (int c = 0; c < CV; c++) {
        vf16 b = *(const vf16u *)(bias + 16 * c);
        for (int p = 0; p < PB; p++) acc[c][p] = b;
    }
    for (int t = 0; t < taps; t++) {
        const float *xt = base + offs[t];
        const float *wt = wb + 16 * CV * t;
        vf16 w0 = *(const vf16u *)wt, w1 = CV > 1 ? *(const vf16u *)(wt + 16) : w0;
        for (int p = 0; p < PB; p++) {
            vf16 x = splat(xt[p]);
            acc[0][p] = __builtin_elementwise_fma(w0, x, acc[0][p]);
            if (CV > 1) acc[1][p] = __builtin_elementwise_fma(w1, x, acc[1][p]);
        }
    }
    float buf[WMAXPB][32];
    for (int p = 0; p < PB; p++)
        for (int c = 0; c < CV; c++) *(vf16u *)&buf[p][16 * c] = acc[c][p];
    for (int o = 0; o < channels; o++) {
        float *d = dst + (size_t)o * cstride;
        for (int p = 0; p < PB; p++) d[p] = buf[p][o];
    }
}

#define WC(V, N) case N: wcblock(base, offs, taps, wb, bias, dst, cstride, channels, V, N); return;
#define WCBLOCK_ANY(NAME, TARGET)                                                                            \
    __attribute__((target(TARGET))) static void NAME(int cv, int pb, const float *base,                      \
                                                     const int *offs, int taps, const float *wb,             \
                                                     const float *bias, float *dst, size_t cstride,          \
                                                     int channels) {                                         \
        if (cv == 2) {                                                                                       \
            switch (pb) { WC(2, 1) WC(2, 2) WC(2, 3) WC(2, 4) WC(2, 5) WC(2, 6) WC(2, 7) WC(2, 8) }          \
        } else {                                                                                             \
            switch (pb) {                                                                                    \
                WC(1, 1) WC(1, 2) WC(1, 3) WC(1, 4) WC(1, 5) WC(1, 6) WC(1, 7) WC(1, 8) WC(1, 9) WC(1, 10)   \
                WC(1, 11) WC(1, 12)                                                                          \
            }                                                                                                \
        }                                                                                                    \
    }

WCBLOCK_ANY(wcblock_avx512, "avx512f,avx2,fma")
WCBLOCK_ANY(wcblock_avx2, "avx2,fma")

void tp_conv_direct_positions_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                                   int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                                   float *out, int oh, int ow, int pos0, int pos1, int native) {
    tp_conv_positions_with(use_avx512(native) ? wcblock_avx512 : wcblock_avx2, 16, cv == 2 ? 8 : 12, planes, cin, sw,
                           hp, wq, packed, cv, cout, kh, kw, sh, dh, dw, bias, out, oh, ow, pos0, pos1);
}

void tp_conv_direct_rows_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int row0, int row1, int native) {
    tp_conv_rows_with(use_avx512(native) ? tp_block16_avx512 : tp_block16_avx2, 16, tp_conv_wide_vectors(cb), planes, cin, sw,
                      hp, wq, packed, cb, cout, kh, kw, sh, dh, dw, bias, out, oh, ow, row0, row1);
}
#else
int tp_conv_wide_supported(void) { return 0; }
void tp_conv_direct_rows_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb,
                              int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                              float *out, int oh, int ow, int row0, int row1, int native) {}
void tp_conv_direct_positions_wide(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cv,
                                   int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                                   float *out, int oh, int ow, int pos0, int pos1, int native) {}
#endif
