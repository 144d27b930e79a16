#include "CConv.h"
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#include <cpuid.h>

int tp_conv_direct_supported(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27)) || !(c & (1u << 28)) || !(c & (1u << 12))) return 0;  // OSXSAVE, AVX, FMA
    unsigned int lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6u) != 6u) return 0;
    if (__get_cpuid_max(0, 0) < 7) return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 5) & 1u;  // AVX2
}

/// One block: 4 output channels × NV vectors of 8 columns, summed over every tap.
/// `base` points at column j0 of the planes; offs[t] is tap t's offset from it.
__attribute__((target("avx2,fma"), always_inline))
static inline void block(const float *base, const int *offs, int taps, const float *w4,
                         const float *bias4, int nv, float *dst[4], int valid, int channels) {
    __m256 a00, a01, a02, a10, a11, a12, a20, a21, a22, a30, a31, a32;
    a00 = a01 = a02 = _mm256_set1_ps(bias4[0]);
    a10 = a11 = a12 = _mm256_set1_ps(bias4[1]);
    a20 = a21 = a22 = _mm256_set1_ps(bias4[2]);
    a30 = a31 = a32 = _mm256_set1_ps(bias4[3]);
    if (nv == 3) {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t];
            __m256 x0 = _mm256_loadu_ps(p), x1 = _mm256_loadu_ps(p + 8), x2 = _mm256_loadu_ps(p + 16);
            const float *wt = w4 + 4 * t;
            __m256 w = _mm256_broadcast_ss(wt);
            a00 = _mm256_fmadd_ps(w, x0, a00); a01 = _mm256_fmadd_ps(w, x1, a01); a02 = _mm256_fmadd_ps(w, x2, a02);
            w = _mm256_broadcast_ss(wt + 1);
            a10 = _mm256_fmadd_ps(w, x0, a10); a11 = _mm256_fmadd_ps(w, x1, a11); a12 = _mm256_fmadd_ps(w, x2, a12);
            w = _mm256_broadcast_ss(wt + 2);
            a20 = _mm256_fmadd_ps(w, x0, a20); a21 = _mm256_fmadd_ps(w, x1, a21); a22 = _mm256_fmadd_ps(w, x2, a22);
            w = _mm256_broadcast_ss(wt + 3);
            a30 = _mm256_fmadd_ps(w, x0, a30); a31 = _mm256_fmadd_ps(w, x1, a31); a32 = _mm256_fmadd_ps(w, x2, a32);
        }
    } else if (nv == 2) {
        for (int t = 0; t < taps; t++) {
            const float *p = base + offs[t];
            __m256 x0 = _mm256_loadu_ps(p), x1 = _mm256_loadu_ps(p + 8);
            const float *wt = w4 + 4 * t;
            __m256 w = _mm256_broadcast_ss(wt);
            a00 = _mm256_fmadd_ps(w, x0, a00); a01 = _mm256_fmadd_ps(w, x1, a01);
            w = _mm256_broadcast_ss(wt + 1);
            a10 = _mm256_fmadd_ps(w, x0, a10); a11 = _mm256_fmadd_ps(w, x1, a11);
            w = _mm256_broadcast_ss(wt + 2);
            a20 = _mm256_fmadd_ps(w, x0, a20); a21 = _mm256_fmadd_ps(w, x1, a21);
            w = _mm256_broadcast_ss(wt + 3);
            a30 = _mm256_fmadd_ps(w, x0, a30); a31 = _mm256_fmadd_ps(w, x1, a31);
        }
    } else {
        for (int t = 0; t < taps; t++) {
            __m256 x0 = _mm256_loadu_ps(base + offs[t]);
            const float *wt = w4 + 4 * t;
            a00 = _mm256_fmadd_ps(_mm256_broadcast_ss(wt), x0, a00);
            a10 = _mm256_fmadd_ps(_mm256_broadcast_ss(wt + 1), x0, a10);
            a20 = _mm256_fmadd_ps(_mm256_broadcast_ss(wt + 2), x0, a20);
            a30 = _mm256_fmadd_ps(_mm256_broadcast_ss(wt + 3), x0, a30);
        }
    }
    float tmp[4][24];
    __m256 acc[4][3] = {{a00, a01, a02}, {a10, a11, a12}, {a20, a21, a22}, {a30, a31, a32}};
    for (int o = 0; o < channels; o++) {
        if (valid == 8 * nv) {
            for (int v = 0; v < nv; v++) _mm256_storeu_ps(dst[o] + 8 * v, acc[o][v]);
        } else {
            for (int v = 0; v < nv; v++) _mm256_storeu_ps(tmp[o] + 8 * v, acc[o][v]);
            memcpy(dst[o], tmp[o], (size_t)valid * sizeof(float));
        }
    }
}

__attribute__((target("avx2,fma")))
void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1) {
    int taps = cin * kh * kw;
    int offs[1024];
    int blocks = (cout + 3) / 4;
    for (int i = row0; i < row1; i++) {
        int t = 0;
        for (int c = 0; c < cin; c++)
            for (int u = 0; u < kh; u++)
                for (int v = 0; v < kw; v++) {
                    int col = v * dw, ph = col % sw, off = col / sw;
                    offs[t++] = ((c * sw + ph) * hp + i * sh + u * dh) * wq + off;
                }
        for (int b = 0; b < blocks; b++) {
            int channels = cout - 4 * b < 4 ? cout - 4 * b : 4;
            float bias4[4] = {0, 0, 0, 0};
            if (bias) for (int o = 0; o < channels; o++) bias4[o] = bias[4 * b + o];
            const float *w4 = packed + (size_t)b * taps * 4;
            for (int j0 = 0; j0 < ow; j0 += 24) {
                int valid = ow - j0 < 24 ? ow - j0 : 24;
                int nv = (valid + 7) / 8;
                float *dst[4];
                for (int o = 0; o < 4; o++) {
                    int oc = 4 * b + (o < channels ? o : 0);
                    dst[o] = out + ((size_t)oc * oh + i) * ow + j0;
                }
                block(planes + j0, offs, taps, w4, bias4, nv, dst, valid, channels);
            }
        }
    }
}
#else
int tp_conv_direct_supported(void) { return 0; }
void tp_conv_direct_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packed,
                         int cout, int kh, int kw, int sh, int dh, int dw, const float *bias,
                         float *out, int oh, int ow, int row0, int row1) {}
#endif

void tp_conv_phase_planes(const float *x, int cin, int h, int w, int padTop, int padLeft,
                          int sw, int hp, int wq, float *planes) {
    for (int c = 0; c < cin; c++)
        for (int ph = 0; ph < sw; ph++)
            for (int r = 0; r < hp; r++) {
                float *dst = planes + ((size_t)(c * sw + ph) * hp + r) * wq;
                int sr = r - padTop;
                if (sr < 0 || sr >= h) { memset(dst, 0, (size_t)wq * sizeof(float)); continue; }
                const float *src = x + ((size_t)c * h + sr) * w;
                for (int q = 0; q < wq; q++) {
                    int sc = q * sw + ph - padLeft;
                    dst[q] = (sc >= 0 && sc < w) ? src[sc] : 0.0f;
                }
            }
}

void tp_conv_pack_weights4(const float *w, int cout, int taps, float *packed) {
    int blocks = (cout + 3) / 4;
    for (int b = 0; b < blocks; b++)
        for (int t = 0; t < taps; t++)
            for (int o = 0; o < 4; o++) {
                int oc = 4 * b + o;
                packed[((size_t)b * taps + t) * 4 + o] = oc < cout ? w[(size_t)oc * taps + t] : 0.0f;
            }
}
