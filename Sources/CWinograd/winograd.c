#include "CWinograd.h"
#include <stdint.h>
#include <string.h>

#define INLINE static inline __attribute__((always_inline))

/// Vectors of 8 and 4 floats at any float-aligned address (the compiler's vector extensions: ymm
/// registers in the AVX2 build, pairs of xmm in the other), and the loads and stores of a step.
typedef float f32x8 __attribute__((vector_size(32), aligned(4), may_alias));
typedef float f32x4 __attribute__((vector_size(16), aligned(4), may_alias));
#define LD(T, p) (*(const T *)(p))
#define ST(T, p, x) (*(T *)(p) = (x))

/// One step of the input transform: tiles tx ..< tx + lanes of T, from the split rows e0/o0 … e3/o3.
/// d B for each of the four rows: (d0 − d2, d1 + d2, d2 − d1, d1 − d3); then Bᵀ (d B) down the
/// rows: (r0 − r2, r1 + r2, r2 − r1, r1 − r3).
#define INPUT_STEP(T, tx)                                                                              \
    {                                                                                                  \
        T ea = LD(T, e0 + tx), eb = LD(T, e0 + tx + 1), oa = LD(T, o0 + tx), ob = LD(T, o0 + tx + 1);  \
        T a0 = ea - eb, a1 = oa + eb, a2 = eb - oa, a3 = oa - ob;                                      \
        ea = LD(T, e1 + tx); eb = LD(T, e1 + tx + 1); oa = LD(T, o1 + tx); ob = LD(T, o1 + tx + 1);    \
        T b0 = ea - eb, b1 = oa + eb, b2 = eb - oa, b3 = oa - ob;                                      \
        ea = LD(T, e2 + tx); eb = LD(T, e2 + tx + 1); oa = LD(T, o2 + tx); ob = LD(T, o2 + tx + 1);    \
        T c0 = ea - eb, c1 = oa + eb, c2 = eb - oa, c3 = oa - ob;                                      \
        ea = LD(T, e3 + tx); eb = LD(T, e3 + tx + 1); oa = LD(T, o3 + tx); ob = LD(T, o3 + tx + 1);    \
        T d0 = ea - eb, d1 = oa + eb, d2 = eb - oa, d3 = oa - ob;                                      \
        ST(T, v0 + tx, a0 - c0); ST(T, v1 + tx, a1 - c1); ST(T, v2 + tx, a2 - c2); ST(T, v3 + tx, a3 - c3); \
        ST(T, v4 + tx, b0 + c0); ST(T, v5 + tx, b1 + c1); ST(T, v6 + tx, b2 + c2); ST(T, v7 + tx, b3 + c3); \
        ST(T, v8 + tx, c0 - b0); ST(T, v9 + tx, c1 - b1); ST(T, v10 + tx, c2 - b2); ST(T, v11 + tx, c3 - b3); \
        ST(T, v12 + tx, b0 - d0); ST(T, v13 + tx, b1 - d1); ST(T, v14 + tx, b2 - d2); ST(T, v15 + tx, b3 - d3); \
    }

/// One step of the output transform: y00, y01, y10, y11 (the 2×2 outputs of tiles tx ..< tx + lanes)
/// = (Aᵀ m) A + bias, with Aᵀ m = (m0 + m1 + m2, m1 − m2 − m3) down the rows; with zeroM the m read
/// are zeroed.
#define OUTPUT_STEP(T, tx)                                                                             \
    T s00, s01, s02, s03, s10, s11, s12, s13;                                                          \
    {                                                                                                  \
        T p0 = LD(T, m0 + tx), p1 = LD(T, m4 + tx), p2 = LD(T, m8 + tx), p3 = LD(T, m12 + tx);         \
        s00 = p0 + p1 + p2; s10 = p1 - p2 - p3;                                                        \
        p0 = LD(T, m1 + tx); p1 = LD(T, m5 + tx); p2 = LD(T, m9 + tx); p3 = LD(T, m13 + tx);           \
        s01 = p0 + p1 + p2; s11 = p1 - p2 - p3;                                                        \
        p0 = LD(T, m2 + tx); p1 = LD(T, m6 + tx); p2 = LD(T, m10 + tx); p3 = LD(T, m14 + tx);          \
        s02 = p0 + p1 + p2; s12 = p1 - p2 - p3;                                                        \
        p0 = LD(T, m3 + tx); p1 = LD(T, m7 + tx); p2 = LD(T, m11 + tx); p3 = LD(T, m15 + tx);          \
        s03 = p0 + p1 + p2; s13 = p1 - p2 - p3;                                                        \
    }                                                                                                  \
    T y00 = s00 + s01 + s02 + bv, y01 = s01 - s02 - s03 + bv;                                          \
    T y10 = s10 + s11 + s12 + bv, y11 = s11 - s12 - s13 + bv;                                          \
    if (zeroM) {                                                                                       \
        T z = {0};                                                                                     \
        ST(T, m0 + tx, z); ST(T, m1 + tx, z); ST(T, m2 + tx, z); ST(T, m3 + tx, z);                    \
        ST(T, m4 + tx, z); ST(T, m5 + tx, z); ST(T, m6 + tx, z); ST(T, m7 + tx, z);                    \
        ST(T, m8 + tx, z); ST(T, m9 + tx, z); ST(T, m10 + tx, z); ST(T, m11 + tx, z);                  \
        ST(T, m12 + tx, z); ST(T, m13 + tx, z); ST(T, m14 + tx, z); ST(T, m15 + tx, z);                \
    }

/// Every ninth float from p: the same tap of 8 (4, 1) consecutive filters.
#define taps8(p) ((f32x8){(p)[0], (p)[9], (p)[18], (p)[27], (p)[36], (p)[45], (p)[54], (p)[63]})
#define taps4(p) ((f32x4){(p)[0], (p)[9], (p)[18], (p)[27]})
#define taps1(p) ((p)[0])

/// One step of the weight transform: U = G g Gᵀ for the filters ci ..< ci + lanes, G = [[1, 0, 0],
/// [½, ½, ½], [½, −½, ½], [0, 0, 1]]: t = G g row by row (a = 0 … 3), then U[4a + b] = (t Gᵀ)[a][b].
#define WEIGHT_STEP(T, TAPS, ci)                                                                       \
    {                                                                                                  \
        const float *g = w + (long)(ci) * 9;                                                           \
        T g0 = TAPS(g), g1 = TAPS(g + 1), g2 = TAPS(g + 2), g3 = TAPS(g + 3), g4 = TAPS(g + 4);        \
        T g5 = TAPS(g + 5), g6 = TAPS(g + 6), g7 = TAPS(g + 7), g8 = TAPS(g + 8);                      \
        WEIGHT_ROW(T, 0, g0, g1, g2, ci)                                                               \
        WEIGHT_ROW(T, 1, 0.5f * (g0 + g3 + g6), 0.5f * (g1 + g4 + g7), 0.5f * (g2 + g5 + g8), ci)      \
        WEIGHT_ROW(T, 2, 0.5f * (g0 - g3 + g6), 0.5f * (g1 - g4 + g7), 0.5f * (g2 - g5 + g8), ci)      \
        WEIGHT_ROW(T, 3, g6, g7, g8, ci)                                                               \
    }
#define WEIGHT_ROW(T, a, x0, x1, x2, ci)                                                               \
    {                                                                                                  \
        T t0 = (x0), t1 = (x1), t2 = (x2);                                                             \
        ST(T, u + (4 * (a)) * kstride + (ci), t0);                                                     \
        ST(T, u + (4 * (a) + 1) * kstride + (ci), 0.5f * (t0 + t1 + t2));                              \
        ST(T, u + (4 * (a) + 2) * kstride + (ci), 0.5f * (t0 - t1 + t2));                              \
        ST(T, u + (4 * (a) + 3) * kstride + (ci), t2);                                                 \
    }

INLINE void weights_body(const float *restrict w, int cin, float *restrict u, long kstride) {
    int ci = 0;
    for (; ci + 8 <= cin; ci += 8) WEIGHT_STEP(f32x8, taps8, ci)
    if (ci + 4 <= cin) { WEIGHT_STEP(f32x4, taps4, ci) ci += 4; }
    for (; ci < cin; ci++) WEIGHT_STEP(float, taps1, ci)
}

/// Split rows are tilesW + 1 long (tile tx reads columns 2tx … 2tx + 3: even and odd entries
/// tx and tx + 1), padded to whole vectors of 8.
INLINE long split_stride(int tilesW) { return ((long)tilesW + 1 + 7) & ~7L; }

long tp_wino_input_scratch(int tilesW) { return 8 * split_stride(tilesW) + 16; }
long tp_wino_output_scratch(int tilesW) { return 4 * (long)tilesW + 16; }

/// Input row `iy` of `plane` (zero outside the image) split into the even and odd columns of the
/// padded row: e[j] = row[2j − padLeft], o[j] = row[2j + 1 − padLeft] for j < n1, zero where that
/// column is outside the row. Columns [jlo, jhi) are inside for both (read straight from the row,
/// never through a copy: a vector load spanning a copy's fresh stores waits for them to retire).
INLINE void split_row(const float *restrict plane, int h, int w, int iy, int padLeft, int jlo, int jhi, int n1,
                      float *restrict e, float *restrict o) {
    if (iy < 0 || iy >= h) {
        memset(e, 0, sizeof(float) * n1);
        memset(o, 0, sizeof(float) * n1);
        return;
    }
    const float *restrict row = plane + (long)iy * w;
    for (int j = 0; j < jlo && j < n1; j++) {
        int c = 2 * j - padLeft;
        e[j] = c >= 0 && c < w ? row[c] : 0.0f;
        o[j] = c + 1 >= 0 && c + 1 < w ? row[c + 1] : 0.0f;
    }
    const float *restrict src = row + 2 * jlo - padLeft;
    for (int j = 0; j < jhi - jlo; j++) {
        e[jlo + j] = src[2 * j];
        o[jlo + j] = src[2 * j + 1];
    }
    for (int j = jhi > jlo ? jhi : jlo; j < n1; j++) {
        int c = 2 * j - padLeft;
        e[j] = c >= 0 && c < w ? row[c] : 0.0f;
        o[j] = c + 1 >= 0 && c + 1 < w ? row[c + 1] : 0.0f;
    }
}

INLINE void input_body(const float *restrict image, int cin, int h, int w, int padTop, int padLeft, int ty0,
                       int ty1, int tilesW, float *restrict v, long cstride, long kstride, float *restrict scratch) {
    const int n1 = tilesW + 1;
    const long rs = split_stride(tilesW);
    float *restrict ring = scratch;              // 4 slots × (even row, odd row), rs floats each
    // Split columns j with 0 ≤ 2j − padLeft and 2j + 1 − padLeft < w: jlo ..< jhi (jhi may be ≤ jlo).
    const int jlo = (padLeft + 1) / 2;
    int jhi = (w + padLeft) / 2;
    if (jhi > n1) jhi = n1;
    for (int c = 0; c < cin; c++) {
        const float *plane = image + (long)c * h * w;
#define SLOT_E(y) (ring + (((y) & 3) * 2) * rs)
#define SLOT_O(y) (ring + (((y) & 3) * 2 + 1) * rs)
#define SPLIT(y) split_row(plane, h, w, (y) - padTop, padLeft, jlo, jhi, n1, SLOT_E(y), SLOT_O(y))
        SPLIT(2 * ty0);
        SPLIT(2 * ty0 + 1);
        for (int ty = ty0; ty < ty1; ty++) {
            SPLIT(2 * ty + 2);
            SPLIT(2 * ty + 3);
            const float *restrict e0 = SLOT_E(2 * ty), *restrict o0 = SLOT_O(2 * ty);
            const float *restrict e1 = SLOT_E(2 * ty + 1), *restrict o1 = SLOT_O(2 * ty + 1);
            const float *restrict e2 = SLOT_E(2 * ty + 2), *restrict o2 = SLOT_O(2 * ty + 2);
            const float *restrict e3 = SLOT_E(2 * ty + 3), *restrict o3 = SLOT_O(2 * ty + 3);
            float *base = v + (long)c * cstride + (long)(ty - ty0) * tilesW;
            float *restrict v0 = base, *restrict v1 = base + kstride, *restrict v2 = base + 2 * kstride,
                  *restrict v3 = base + 3 * kstride, *restrict v4 = base + 4 * kstride,
                  *restrict v5 = base + 5 * kstride, *restrict v6 = base + 6 * kstride,
                  *restrict v7 = base + 7 * kstride, *restrict v8 = base + 8 * kstride,
                  *restrict v9 = base + 9 * kstride, *restrict v10 = base + 10 * kstride,
                  *restrict v11 = base + 11 * kstride, *restrict v12 = base + 12 * kstride,
                  *restrict v13 = base + 13 * kstride, *restrict v14 = base + 14 * kstride,
                  *restrict v15 = base + 15 * kstride;
            int tx = 0;
            for (; tx + 8 <= tilesW; tx += 8) INPUT_STEP(f32x8, tx)
            if (tx + 4 <= tilesW) { INPUT_STEP(f32x4, tx) tx += 4; }
            for (; tx < tilesW; tx++) INPUT_STEP(float, tx)
        }
#undef SPLIT
#undef SLOT_E
#undef SLOT_O
    }
}

INLINE int output_body(float *restrict m, int cout, long cstride, long kstride, const float *restrict bias, int ty0,
                       int ty1, int tilesW, int oh, int ow, float *restrict out, float *restrict scratch,
                       int zeroM) {
    // Σ y·0 over the outputs: 0 while all are finite, NaN once one is not.
    f32x8 acc8 = {0, 0, 0, 0, 0, 0, 0, 0};
    f32x4 acc4 = {0, 0, 0, 0};
    float acc1 = 0;
    for (int co = 0; co < cout; co++) {
        const float bv = bias ? bias[co] : 0.0f;
        float *plane = out + (long)co * oh * ow;
        for (int ty = ty0; ty < ty1; ty++) {
            float *base = m + (long)co * cstride + (long)(ty - ty0) * tilesW;
            float *restrict m0 = base, *restrict m1 = base + kstride, *restrict m2 = base + 2 * kstride,
                  *restrict m3 = base + 3 * kstride, *restrict m4 = base + 4 * kstride,
                  *restrict m5 = base + 5 * kstride, *restrict m6 = base + 6 * kstride,
                  *restrict m7 = base + 7 * kstride, *restrict m8 = base + 8 * kstride,
                  *restrict m9 = base + 9 * kstride, *restrict m10 = base + 10 * kstride,
                  *restrict m11 = base + 11 * kstride, *restrict m12 = base + 12 * kstride,
                  *restrict m13 = base + 13 * kstride, *restrict m14 = base + 14 * kstride,
                  *restrict m15 = base + 15 * kstride;
            // Both output rows whole and in the image: written in place; otherwise through scratch.
            const int direct = 2 * tilesW == ow && 2 * ty + 1 < oh;
            float *restrict y0 = direct ? plane + (long)(2 * ty) * ow : scratch;
            float *restrict y1 = direct ? plane + (long)(2 * ty + 1) * ow : scratch + 2 * tilesW;
            int tx = 0;
            for (; tx + 8 <= tilesW; tx += 8) {
                OUTPUT_STEP(f32x8, tx)
                ST(f32x8, y0 + 2 * tx, __builtin_shufflevector(y00, y01, 0, 8, 1, 9, 2, 10, 3, 11));
                ST(f32x8, y0 + 2 * tx + 8, __builtin_shufflevector(y00, y01, 4, 12, 5, 13, 6, 14, 7, 15));
                ST(f32x8, y1 + 2 * tx, __builtin_shufflevector(y10, y11, 0, 8, 1, 9, 2, 10, 3, 11));
                ST(f32x8, y1 + 2 * tx + 8, __builtin_shufflevector(y10, y11, 4, 12, 5, 13, 6, 14, 7, 15));
                acc8 += y00 * 0.0f + y01 * 0.0f + y10 * 0.0f + y11 * 0.0f;
            }
            if (tx + 4 <= tilesW) {
                OUTPUT_STEP(f32x4, tx)
                ST(f32x4, y0 + 2 * tx, __builtin_shufflevector(y00, y01, 0, 4, 1, 5));
                ST(f32x4, y0 + 2 * tx + 4, __builtin_shufflevector(y00, y01, 2, 6, 3, 7));
                ST(f32x4, y1 + 2 * tx, __builtin_shufflevector(y10, y11, 0, 4, 1, 5));
                ST(f32x4, y1 + 2 * tx + 4, __builtin_shufflevector(y10, y11, 2, 6, 3, 7));
                acc4 += y00 * 0.0f + y01 * 0.0f + y10 * 0.0f + y11 * 0.0f;
                tx += 4;
            }
            for (; tx < tilesW; tx++) {
                OUTPUT_STEP(float, tx)
                y0[2 * tx] = y00; y0[2 * tx + 1] = y01;
                y1[2 * tx] = y10; y1[2 * tx + 1] = y11;
                acc1 += y00 * 0.0f + y01 * 0.0f + y10 * 0.0f + y11 * 0.0f;
            }
            if (!direct) {
                if (2 * ty < oh) memcpy(plane + (long)(2 * ty) * ow, y0, sizeof(float) * ow);
                if (2 * ty + 1 < oh) memcpy(plane + (long)(2 * ty + 1) * ow, y1, sizeof(float) * ow);
            }
        }
    }
    for (int i = 0; i < 4; i++) acc1 += acc8[i] + acc8[i + 4] + acc4[i];
    return acc1 != acc1;
}

#if defined(__x86_64__)
#include "../CCPUID/shim.h"   // the features TensorCore reports (BLASCore.features)

/// AVX2 + FMA present and the OS saves the ymm registers.
static int has_avx2(void) {
    unsigned int f = tensorpad_cpu_features();
    return (f & 12u) == 12u;  // AVX2 (4) and FMA (8), with the ymm state saved by the OS
}

static int avx2_state = -1;  // -1 unknown; written once (racing writers store the same value)

INLINE int use_avx2(void) {
    int s = __atomic_load_n(&avx2_state, __ATOMIC_RELAXED);
    if (s < 0) {
        s = has_avx2();
        __atomic_store_n(&avx2_state, s, __ATOMIC_RELAXED);
    }
    return s;
}

// No FMA contraction: the transforms are additions only, so both versions give the same bits.
__attribute__((target("avx2,fma")))
static void input_avx2(const float *image, int cin, int h, int w, int padTop, int padLeft, int ty0, int ty1,
                       int tilesW, float *v, long cstride, long kstride, float *scratch) {
    input_body(image, cin, h, w, padTop, padLeft, ty0, ty1, tilesW, v, cstride, kstride, scratch);
}

__attribute__((target("avx2,fma")))
static int output_avx2(float *m, int cout, long cstride, long kstride, const float *bias, int ty0, int ty1,
                       int tilesW, int oh, int ow, float *out, float *scratch, int zeroM) {
    return output_body(m, cout, cstride, kstride, bias, ty0, ty1, tilesW, oh, ow, out, scratch, zeroM);
}
__attribute__((target("avx2,fma")))
static void weights_avx2(const float *w, int cin, float *u, long kstride) { weights_body(w, cin, u, kstride); }
#else
INLINE int use_avx2(void) { return 0; }
#define weights_avx2 weights_body
#define input_avx2 input_body
#define output_avx2 output_body
#endif

int tp_wino_avx2(void) { return use_avx2(); }

void tp_wino_set_generic(int on) {
#if defined(__x86_64__)
    __atomic_store_n(&avx2_state, on ? 0 : has_avx2(), __ATOMIC_RELAXED);
#else
    (void)on;
#endif
}

void tp_wino_input(const float *image, int cin, int h, int w, int padTop, int padLeft, int ty0, int ty1,
                   int tilesW, float *v, long cstride, long kstride, float *scratch) {
    if (use_avx2()) input_avx2(image, cin, h, w, padTop, padLeft, ty0, ty1, tilesW, v, cstride, kstride, scratch);
    else input_body(image, cin, h, w, padTop, padLeft, ty0, ty1, tilesW, v, cstride, kstride, scratch);
}

int tp_wino_output(float *m, int cout, long cstride, long kstride, const float *bias, int ty0, int ty1,
                   int tilesW, int oh, int ow, float *out, float *scratch, int zeroM) {
    if (use_avx2()) return output_avx2(m, cout, cstride, kstride, bias, ty0, ty1, tilesW, oh, ow, out, scratch, zeroM);
    return output_body(m, cout, cstride, kstride, bias, ty0, ty1, tilesW, oh, ow, out, scratch, zeroM);
}

void tp_wino_weights(const float *w, int cin, float *u, long kstride) {
    if (use_avx2()) weights_avx2(w, cin, u, kstride);
    else weights_body(w, cin, u, kstride);
}
