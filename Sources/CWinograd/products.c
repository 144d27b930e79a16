// The 16 products of a Winograd work item, M[k] = U[k] · V[k] (Cout × Cin by Cin × tiles), by an
// AVX2 + FMA kernel of 6 output channels × 16 tiles (12 accumulators), over transformed weights
// laid out for it once per call (blocks of 6 channels, channel fastest) and V's rows as they are
// (no packing: a panel of 16 tiles × Cin stays in L1 across all channel blocks). Where AVX-512F
// runs, the same kernel with vectors of 16 tiles (6 channels × 32 tiles, 12 zmm accumulators):
// written once with clang's generic vectors and built for AVX-512F and for AVX2 + FMA (each vector
// a pair of ymm), which the tests run on every machine.
#include "CWinograd.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>

/// M rows co ..< co + rows (rows ≤ 6) at tiles t ..< t + 8·NV:
/// c[r·ldc + j] = Σ_ci up[ci·6 + r] · v[ci·ldv + j]. NV is a constant at each call.
__attribute__((target("avx2,fma"), always_inline))
static inline void block(const float *up, const float *v, long ldv, int cin, float *c, long ldc, int rows,
                         const int NV) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
    __m256 b0 = a0, b1 = a0, b2 = a0, b3 = a0, b4 = a0, b5 = a0;
    for (int ci = 0; ci < cin; ci++) {
        const float *u = up + ci * 6;
        __m256 x0 = _mm256_loadu_ps(v + ci * ldv);
        __m256 x1 = NV == 2 ? _mm256_loadu_ps(v + ci * ldv + 8) : x0;
        __m256 w;
        w = _mm256_broadcast_ss(u + 0); a0 = _mm256_fmadd_ps(w, x0, a0); if (NV == 2) b0 = _mm256_fmadd_ps(w, x1, b0);
        w = _mm256_broadcast_ss(u + 1); a1 = _mm256_fmadd_ps(w, x0, a1); if (NV == 2) b1 = _mm256_fmadd_ps(w, x1, b1);
        w = _mm256_broadcast_ss(u + 2); a2 = _mm256_fmadd_ps(w, x0, a2); if (NV == 2) b2 = _mm256_fmadd_ps(w, x1, b2);
        w = _mm256_broadcast_ss(u + 3); a3 = _mm256_fmadd_ps(w, x0, a3); if (NV == 2) b3 = _mm256_fmadd_ps(w, x1, b3);
        w = _mm256_broadcast_ss(u + 4); a4 = _mm256_fmadd_ps(w, x0, a4); if (NV == 2) b4 = _mm256_fmadd_ps(w, x1, b4);
        w = _mm256_broadcast_ss(u + 5); a5 = _mm256_fmadd_ps(w, x0, a5); if (NV == 2) b5 = _mm256_fmadd_ps(w, x1, b5);
    }
    __m256 lo[6] = {a0, a1, a2, a3, a4, a5}, hi[6] = {b0, b1, b2, b3, b4, b5};
    for (int r = 0; r < 6; r++)   // constant indices once unrolled: the sums are stored from registers
        if (r < rows) {
            _mm256_storeu_ps(c + r * ldc, lo[r]);
            if (NV == 2) _mm256_storeu_ps(c + r * ldc + 8, hi[r]);
        }
}

typedef float vf16 __attribute__((vector_size(64)));
typedef float vf16u __attribute__((vector_size(64), aligned(4)));
// A macro, not a function: a function returning a 64-byte vector has no fixed ABI between the targets.
#define SPLAT16(s) ((vf16){(s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s), (s)})

/// As `block` with vectors of 16 tiles: M rows co ..< co + rows at tiles t ..< t + 16·NV. Target-
/// independent: it takes the target of the function it is inlined into.
static inline __attribute__((always_inline))
void block16(const float *up, const float *v, long ldv, int cin, float *c, long ldc, int rows, const int NV) {
    vf16 acc[2][6];
    for (int r = 0; r < 6; r++) acc[0][r] = acc[1][r] = SPLAT16(0.0f);
    for (int ci = 0; ci < cin; ci++) {
        const float *u = up + ci * 6;
        vf16 x0 = *(const vf16u *)(v + ci * ldv), x1 = NV == 2 ? *(const vf16u *)(v + ci * ldv + 16) : x0;
        for (int r = 0; r < 6; r++) {
            vf16 w = SPLAT16(u[r]);
            acc[0][r] = __builtin_elementwise_fma(w, x0, acc[0][r]);
            if (NV == 2) acc[1][r] = __builtin_elementwise_fma(w, x1, acc[1][r]);
        }
    }
    for (int r = 0; r < 6; r++)
        if (r < rows) {
            *(vf16u *)(c + r * ldc) = acc[0][r];
            if (NV == 2) *(vf16u *)(c + r * ldc + 16) = acc[1][r];
        }
}

/// The products with blocks of 32 and 16 tiles, the last 8 (tiles8 is a multiple of 8) by `block`.
#define PRODUCT16(NAME, TARGET)                                                                            \
    __attribute__((target(TARGET))) static void NAME(const float *up, const float *v, long ldv, float *m,  \
                                                     long ldm, int cout, int cin, int tiles8) {            \
        const int blocks = (cout + 5) / 6;                                                                 \
        int t = 0;                                                                                         \
        for (; t + 32 <= tiles8; t += 32)                                                                  \
            for (int cb = 0; cb < blocks; cb++)                                                            \
                block16(up + (long)cb * cin * 6, v + t, ldv, cin, m + (long)cb * 6 * ldm + t, ldm,          \
                        cout - cb * 6 < 6 ? cout - cb * 6 : 6, 2);                                         \
        if (t + 16 <= tiles8) {                                                                            \
            for (int cb = 0; cb < blocks; cb++)                                                            \
                block16(up + (long)cb * cin * 6, v + t, ldv, cin, m + (long)cb * 6 * ldm + t, ldm,          \
                        cout - cb * 6 < 6 ? cout - cb * 6 : 6, 1);                                         \
            t += 16;                                                                                       \
        }                                                                                                  \
        if (t < tiles8)                                                                                    \
            for (int cb = 0; cb < blocks; cb++)                                                            \
                block(up + (long)cb * cin * 6, v + t, ldv, cin, m + (long)cb * 6 * ldm + t, ldm,            \
                      cout - cb * 6 < 6 ? cout - cb * 6 : 6, 1);                                           \
    }

PRODUCT16(product16_avx512, "avx512f,avx2,fma")
PRODUCT16(product16_avx2, "avx2,fma")

#include "../CCPUID/shim.h"   // the features TensorCore reports (BLASCore.features)

int tp_wino_avx512(void) {
    static int state = -1;   // written once (racing writers store the same value)
    int s = __atomic_load_n(&state, __ATOMIC_RELAXED);
    if (s < 0) {
        s = (tensorpad_cpu_features() & 28u) == 28u;   // AVX2, FMA, AVX-512F with the zmm state saved
        __atomic_store_n(&state, s, __ATOMIC_RELAXED);
    }
    return s;
}

__attribute__((target("avx2,fma")))
static void product(const float *up, const float *v, long ldv, float *m, long ldm, int cout, int cin, int tiles8) {
    const int blocks = (cout + 5) / 6;
    int t = 0;
    for (; t + 16 <= tiles8; t += 16)
        for (int cb = 0; cb < blocks; cb++)
            block(up + (long)cb * cin * 6, v + t, ldv, cin, m + (long)cb * 6 * ldm + t, ldm,
                  cout - cb * 6 < 6 ? cout - cb * 6 : 6, 2);
    if (t < tiles8)
        for (int cb = 0; cb < blocks; cb++)
            block(up + (long)cb * cin * 6, v + t, ldv, cin, m + (long)cb * 6 * ldm + t, ldm,
                  cout - cb * 6 < 6 ? cout - cb * 6 : 6, 1);
}

void tp_wino_products(const float *u, long ustride, float *v, long vstride, float *m, long mstride, int cout, int cin,
                      int tiles, int tiles8, int wide) {
    void (*prod)(const float *, const float *, long, float *, long, int, int, int) =
        !wide ? product : tp_wino_avx512() ? product16_avx512 : product16_avx2;
    for (int k = 0; k < 16; k++) {
        float *vk = v + k * vstride;
        // The columns past the last tile: zeros, so their (unread) products are computed on numbers.
        if (tiles8 > tiles)
            for (int ci = 0; ci < cin; ci++) memset(vk + (long)ci * tiles8 + tiles, 0, sizeof(float) * (tiles8 - tiles));
        prod(u + k * ustride, vk, tiles8, m + k * mstride, tiles8, cout, cin, tiles8);
    }
}
#else
int tp_wino_avx512(void) { return 0; }
void tp_wino_products(const float *u, long ustride, float *v, long vstride, float *m, long mstride, int cout, int cin,
                      int tiles, int tiles8, int wide) {
    (void)u; (void)ustride; (void)v; (void)vstride; (void)m; (void)mstride; (void)cout; (void)cin; (void)tiles; (void)tiles8;
    (void)wide;
}
#endif

/// U = G g Gᵀ for 6 filters at once (lanes 0–5 of T; g0 … g8 their taps): t = G g row by row, then
/// U[4a + b] = (t Gᵀ)[a][b] — the same operations as tp_wino_weights — each k's 6 floats stored at
/// d + k·kstride by STORE6.
#define BLOCK_WEIGHTS(T, STORE6)                                                                       \
    {                                                                                                  \
        T x0, x1, x2;                                                                                  \
        BLOCK_ROW(T, STORE6, 0, g0, g1, g2)                                                            \
        BLOCK_ROW(T, STORE6, 1, 0.5f * (g0 + g3 + g6), 0.5f * (g1 + g4 + g7), 0.5f * (g2 + g5 + g8))  \
        BLOCK_ROW(T, STORE6, 2, 0.5f * (g0 - g3 + g6), 0.5f * (g1 - g4 + g7), 0.5f * (g2 - g5 + g8))  \
        BLOCK_ROW(T, STORE6, 3, g6, g7, g8)                                                            \
    }
#define BLOCK_ROW(T, STORE6, a, y0, y1, y2)                                                            \
    x0 = (y0); x1 = (y1); x2 = (y2);                                                                   \
    STORE6(d + (4 * (a)) * kstride, x0);                                                               \
    STORE6(d + (4 * (a) + 1) * kstride, 0.5f * (x0 + x1 + x2));                                        \
    STORE6(d + (4 * (a) + 2) * kstride, 0.5f * (x0 - x1 + x2));                                        \
    STORE6(d + (4 * (a) + 3) * kstride, x2);

#if defined(__x86_64__)
typedef float f32x8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef float f32x4 __attribute__((vector_size(16), aligned(4), may_alias));
typedef float f32x2 __attribute__((vector_size(8), aligned(4), may_alias));
/// Lanes 0–5 of v to p ..< p + 6 (a vector of 4 and one of 2: nothing past the block's 6 floats).
#define STORE6_VEC(p, v)                                                                               \
    {                                                                                                  \
        f32x8 s_ = (v);                                                                                \
        *(f32x4 *)(p) = __builtin_shufflevector(s_, s_, 0, 1, 2, 3);                                   \
        *(f32x2 *)((p) + 4) = __builtin_shufflevector(s_, s_, 4, 5);                                   \
    }

__attribute__((target("avx2,fma")))
static void weights_blocked_avx2(const float *w, int cb, int cout, int cin, float *u, long kstride) {
    static const float zeros[9] = {0};
    const float *f[6];
    for (int r = 0; r < 6; r++) f[r] = cb * 6 + r < cout ? w + (long)(cb * 6 + r) * cin * 9 : zeros;
    const long step[6] = {cb * 6 + 0 < cout ? 9 : 0, cb * 6 + 1 < cout ? 9 : 0, cb * 6 + 2 < cout ? 9 : 0,
                          cb * 6 + 3 < cout ? 9 : 0, cb * 6 + 4 < cout ? 9 : 0, cb * 6 + 5 < cout ? 9 : 0};
    float *base = u + (long)cb * cin * 6;
    for (int ci = 0; ci < cin; ci++) {
#define TAP(t) ((f32x8){f[0][t], f[1][t], f[2][t], f[3][t], f[4][t], f[5][t], 0, 0})
        f32x8 g0 = TAP(0), g1 = TAP(1), g2 = TAP(2), g3 = TAP(3), g4 = TAP(4), g5 = TAP(5), g6 = TAP(6),
              g7 = TAP(7), g8 = TAP(8);
#undef TAP
        float *d = base + ci * 6;
        BLOCK_WEIGHTS(f32x8, STORE6_VEC)
        for (int r = 0; r < 6; r++) f[r] += step[r];
    }
}
#endif

void tp_wino_weights_blocked(const float *w, int cb, int cout, int cin, float *u, long kstride) {
#if defined(__x86_64__)
    if (tp_wino_avx2()) {
        weights_blocked_avx2(w, cb, cout, cin, u, kstride);
        return;
    }
#endif
    float *base = u + (long)cb * cin * 6;
    // Input channel outer, the block's six output channels inner: each k's six floats per ci are
    // adjacent, so the 16 streams of stores fill whole cache lines in turn.
    for (int ci = 0; ci < cin; ci++) {
        for (int r = 0; r < 6; r++) {
            float *d = base + ci * 6 + r;
            int co = cb * 6 + r;
            if (co >= cout) {
                for (int k = 0; k < 16; k++) d[k * kstride] = 0;
                continue;
            }
            const float *g = w + ((long)co * cin + ci) * 9;
            float g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4], g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8];
#define STORE1(p, v) (*(p) = (v))
            BLOCK_WEIGHTS(float, STORE1)
#undef STORE1
        }
    }
}
