// The spatial direct kernel with Winograd's minimal filtering along output rows: F(n, r), α = n + r − 1 = 7
// points (0, 1, −1, 2, −2, ½, ∞). Output rows come in tiles of n; row phase ph of the kernel (rows ph, ph + sh, …:
// r = ⌈kh / sh⌉ of them, zero past kh) is a 1-D correlation of r taps over the plane rows of that phase, so
// y[i0 + m] = Σ_ξ AT[m][ξ] · M[ξ],  M[ξ] = Σ_(c, ph, v) (G·w)[ξ] · (BT·rows)[ξ] at column offset v:
// seven direct convolutions of one row each, with cin·sh·kw taps instead of cin·kh·kw per output row. The stem
// (7×7 stride 2, r = 4, n = 4): 7 × 42 products per 4 rows instead of 4 × 147. (Six points, F(3, 4) there,
// ran 12 % slower on one core; the seventh point, ½, keeps the error under 1e-6 of the outputs' size.) The columns stay in the vector
// lanes as in `direct_conv.c` (no transposes); the input transform mixes whole plane rows, the output
// transform whole accumulator rows. The products are the direct kernels' own spatial blocks, of 8
// columns a vector (AVX2) or 16 (`direct_conv_wide.c`, AVX-512F where the CPU has it); the transforms
// stay in ymm registers at either width: they are a few per cent of the stem's work.
#include "CConv.h"
#include <string.h>

/// MBUF: floats of one point's block sums, at most (cb·nv ≤ 24 vectors of 16, or 12 of 8).
enum { ALPHA = 7, MBUF = 24 * 16 };

int tp_conv_rowwino_tile(int kh, int sh, int dh) {
    if (dh != 1 || sh < 1 || sh > 2) return 0;
    int r = (kh + sh - 1) / sh;
    return r >= 3 && r <= 5 ? ALPHA + 1 - r : 0;
}

long tp_conv_rowwino_scratch(int cin, int sh, int sw, int wq) {
    return (long)ALPHA * cin * sh * sw * wq + ALPHA * MBUF;
}

/// AT (n × α), G (α × r), BT (α × α) of F(n, r) over the points 0, 1, −1, 2, −2, ½, ∞: with V the α × α
/// Vandermonde matrix of the points (the ∞ row picking the leading coefficient), a correlation is the
/// transpose of Toom–Cook's linear convolution, y = V_nᵀ · ((V_r g) ⊙ (V⁻ᵀ d)).
static void matrices(int n, int r, float *AT, float *G, float *BT) {
    static const double pts[ALPHA - 1] = {0, 1, -1, 2, -2, 0.5};
    double m[ALPHA][2 * ALPHA];
    for (int j = 0; j < ALPHA; j++)
        for (int k = 0; k < 2 * ALPHA; k++) {
            double p = 1;
            if (k < ALPHA && j < ALPHA - 1) for (int e = 0; e < k; e++) p *= pts[j];
            m[j][k] = k < ALPHA ? (j < ALPHA - 1 ? p : (k == ALPHA - 1)) : (k - ALPHA == j);
        }
    for (int c = 0; c < ALPHA; c++) {   // Gauss–Jordan with partial pivoting: [V | I] → [I | V⁻¹]
        int p = c;
        for (int i = c + 1; i < ALPHA; i++)
            if ((m[i][c] < 0 ? -m[i][c] : m[i][c]) > (m[p][c] < 0 ? -m[p][c] : m[p][c])) p = i;
        for (int k = 0; k < 2 * ALPHA; k++) { double t = m[c][k]; m[c][k] = m[p][k]; m[p][k] = t; }
        double d = m[c][c];
        for (int k = 0; k < 2 * ALPHA; k++) m[c][k] /= d;
        for (int i = 0; i < ALPHA; i++) {
            if (i == c) continue;
            double f = m[i][c];
            for (int k = 0; k < 2 * ALPHA; k++) m[i][k] -= f * m[c][k];
        }
    }
    for (int x = 0; x < ALPHA; x++)
        for (int k = 0; k < ALPHA; k++) BT[x * ALPHA + k] = (float)m[k][ALPHA + x];
    for (int x = 0; x < ALPHA; x++)
        for (int e = 0; e < r; e++) {
            double p = 1;
            if (x < ALPHA - 1) for (int i = 0; i < e; i++) p *= pts[x];
            G[x * r + e] = (float)(x < ALPHA - 1 ? p : (e == r - 1));
        }
    for (int i = 0; i < n; i++)
        for (int x = 0; x < ALPHA; x++) {
            double p = 1;
            if (x < ALPHA - 1) for (int e = 0; e < i; e++) p *= pts[x];
            AT[i * ALPHA + x] = (float)(x < ALPHA - 1 ? p : (i == n - 1));
        }
}

void tp_conv_rowwino_pack(const float *w, int cout, int cin, int kh, int kw, int sh, int cb, float *packed) {
    int n = tp_conv_rowwino_tile(kh, sh, 1);
    if (n == 0) return;
    int r = ALPHA + 1 - n;
    float AT[ALPHA * ALPHA], G[ALPHA * ALPHA], BT[ALPHA * ALPHA];
    matrices(n, r, AT, G, BT);
    int blocks = (cout + cb - 1) / cb, taps = cin * sh * kw;
    for (int b = 0; b < blocks; b++)
        for (int o = 0; o < cb; o++) {
            int oc = cb * b + o;
            for (int c = 0; c < cin; c++)
                for (int ph = 0; ph < sh; ph++)
                    for (int v = 0; v < kw; v++) {
                        float g[ALPHA] = {0};   // this tap's kernel column of phase ph: rows ph, ph + sh, …
                        if (oc < cout)
                            for (int e = 0; e < r && sh * e + ph < kh; e++)
                                g[e] = w[(((size_t)oc * cin + c) * kh + sh * e + ph) * kw + v];
                        int t = (c * sh + ph) * kw + v;
                        for (int x = 0; x < ALPHA; x++) {
                            float s = 0;
                            for (int e = 0; e < r; e++) s += G[x * r + e] * g[e];
                            packed[(((size_t)x * blocks + b) * taps + t) * cb + o] = s;
                        }
                    }
        }
}

#if defined(__x86_64__)
#include <immintrin.h>
#include "direct_conv_drivers.h"
#include "direct_conv_spatial.h"

/// The output transform of one block: rows 0 ..< N of `channels` channels × nv vectors of 8 (`valid` columns)
/// from the seven sums in mbuf (point x at mbuf + x·xs), into dst (channel o at dst + o·cstride, row m at
/// + m·ow). Returns `bad` OR-ed with y − y of every output (NaN bits where one is inf or NaN).
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 untransform(const float *mbuf, size_t xs, int channels, int nv, float *dst, size_t cstride,
                                 int ow, int valid, __m256 bad, const int N) {
    for (int o = 0; o < channels; o++)
        for (int v = 0; v < nv && 8 * v < valid; v++) {   // (a block of 16-column vectors may end in 8 past ow)
            const float *mb = mbuf + (o * nv + v) * 8;
            __m256 m0 = _mm256_loadu_ps(mb), m1 = _mm256_loadu_ps(mb + xs), m2 = _mm256_loadu_ps(mb + 2 * xs),
                   m3 = _mm256_loadu_ps(mb + 3 * xs), m4 = _mm256_loadu_ps(mb + 4 * xs), m5 = _mm256_loadu_ps(mb + 5 * xs);
            __m256 s12 = _mm256_add_ps(m1, m2), d12 = _mm256_sub_ps(m1, m2);
            __m256 s34 = _mm256_add_ps(m3, m4), d34 = _mm256_sub_ps(m3, m4);
            __m256 m6 = _mm256_loadu_ps(mb + 6 * xs);
            __m256 y[5];
            float p2 = 1.0f, ph = 1.0f;   // 2ᵐ, 2⁻ᵐ
            for (int m = 0; m < N; m++) {
                y[m] = _mm256_fmadd_ps(_mm256_set1_ps(p2), (m & 1) ? d34 : s34, (m & 1) ? d12 : s12);
                y[m] = _mm256_fmadd_ps(_mm256_set1_ps(ph), m5, y[m]);
                p2 *= 2.0f; ph *= 0.5f;
            }
            y[0] = _mm256_add_ps(y[0], m0);
            y[N - 1] = _mm256_add_ps(y[N - 1], m6);
            int cols = valid - 8 * v < 8 ? valid - 8 * v : 8;
            float *d = dst + (size_t)o * cstride + 8 * v;
            for (int m = 0; m < N; m++) {
                if (cols == 8) {
                    _mm256_storeu_ps(d + (size_t)m * ow, y[m]);
                    bad = _mm256_or_ps(bad, _mm256_sub_ps(y[m], y[m]));   // +0 for finite lanes, NaN else
                } else {
                    float tmp[8];
                    _mm256_storeu_ps(tmp, y[m]);
                    memcpy(d + (size_t)m * ow, tmp, (size_t)cols * sizeof(float));
                    for (int l = 0; l < cols; l++)
                        if (tmp[l] - tmp[l] != 0.0f) bad = _mm256_set1_ps(1.0f);
                }
            }
        }
    return bad;
}

/// One tile: output rows i0 ..< i0 + n, the products by `block` (the spatial blocks of `width` columns a
/// vector, inlined at each of the three builds below). Returns 0 when an output came out inf or NaN (the
/// caller then computes the tile directly, where PyTorch's direct sum puts them).
__attribute__((target("avx2,fma"), always_inline))
static inline int tile(tp_spatial_block_fn block, int width, const float *planes, int cin, int sw, int hp, int wq,
                       const float *packed, int cb, int cout, int sh, const int *offs, int taps, const float *BT,
                       const float *bias, float *out, int oh, int ow, int i0, int n, float *T, float *mbuf) {
    size_t slab = (size_t)cin * sh * sw * wq;   // one point's transformed rows: (c, ph, column phase) × wq
    // Input transform: T[ξ][c][ph][pc] = Σ_k BT[ξ][k] · plane (c, pc) row sh·(i0 + k) + ph.
    for (int c = 0; c < cin; c++)
        for (int pc = 0; pc < sw; pc++) {
            const float *pl = planes + (size_t)(c * sw + pc) * hp * wq;
            for (int ph = 0; ph < sh; ph++) {
                const float *row[ALPHA];
                for (int k = 0; k < ALPHA; k++) row[k] = pl + (size_t)(sh * (i0 + k) + ph) * wq;
                for (int x = 0; x < ALPHA; x++) {
                    const float *bt = BT + x * ALPHA;
                    float *d = T + x * slab + (size_t)((c * sh + ph) * sw + pc) * wq;
                    int q = 0;
                    __m256 b[ALPHA];
                    for (int k = 0; k < ALPHA; k++) b[k] = _mm256_set1_ps(bt[k]);
                    for (; q + 8 <= wq; q += 8) {
                        __m256 s = _mm256_mul_ps(b[0], _mm256_loadu_ps(row[0] + q));
                        for (int k = 1; k < ALPHA; k++) s = _mm256_fmadd_ps(b[k], _mm256_loadu_ps(row[k] + q), s);
                        _mm256_storeu_ps(d + q, s);
                    }
                    for (; q < wq; q++) {
                        float s = 0;
                        for (int k = 0; k < ALPHA; k++) s += bt[k] * row[k][q];
                        d[q] = s;
                    }
                }
            }
        }
    int blocks = (cout + cb - 1) / cb;
    int nvec = (ow + width - 1) / width, nvmax = width == 16 ? tp_conv_wide_vectors(cb) : tp_conv_spatial_vectors(cb);
    int chunks = (nvec + nvmax - 1) / nvmax;
    size_t cstride = (size_t)oh * ow;
    __m256 bad = _mm256_setzero_ps();
    for (int b = 0; b < blocks; b++) {
        int channels = cout - cb * b < cb ? cout - cb * b : cb;
        float biasb[TP_MAXCB] = {0}, zero[TP_MAXCB] = {0};
        if (bias) for (int o = 0; o < channels; o++) biasb[o] = bias[cb * b + o];
        int j0 = 0;
        for (int ch = 0; ch < chunks; ch++) {
            int nv = nvec / chunks + (ch < nvec % chunks);
            // Point x's sums of channel o, vector v at mbuf + x·xs + (o·nv + v)·width: a block of nv vectors of 16
            // is, float for float, one of 2·nv vectors of 8, as the output transform reads it.
            int cols = width * nv;
            size_t xs = (size_t)cb * cols;
            for (int x = 0; x < ALPHA; x++)
                block(cb, nv, T + x * slab + j0, offs, taps, packed + ((size_t)x * blocks + b) * taps * cb,
                      x == 1 ? biasb : zero, mbuf + x * xs, (size_t)cols, cols, cb);
            // Output transform: AT's rows are pᵐ over the points (0, 1, −1, 2, −2, ½) and 1 at ∞ for the
            // last row, so y_m = [m = 0]·M0 + (M1 ± M2) + 2ᵐ·(M3 ± M4) + 2⁻ᵐ·M5 + [m = n − 1]·M6 (+ for even m).
            float *dst = out + (size_t)cb * b * cstride + (size_t)i0 * ow + j0;
            int valid = ow - j0 < cols ? ow - j0 : cols, nv8 = cols / 8;
            switch (n) {
            case 3: bad = untransform(mbuf, xs, channels, nv8, dst, cstride, ow, valid, bad, 3); break;
            case 4: bad = untransform(mbuf, xs, channels, nv8, dst, cstride, ow, valid, bad, 4); break;
            default: bad = untransform(mbuf, xs, channels, nv8, dst, cstride, ow, valid, bad, 5); break;
            }
            j0 += cols;
        }
    }
    return _mm256_movemask_ps(_mm256_cmp_ps(bad, _mm256_setzero_ps(), _CMP_NEQ_UQ)) == 0;
}

typedef int (*tile_fn)(const float *planes, int cin, int sw, int hp, int wq, const float *packed, int cb, int cout,
                       int sh, const int *offs, int taps, const float *BT, const float *bias, float *out, int oh,
                       int ow, int i0, int n, float *T, float *mbuf);
#define TILE(NAME, TARGET, BLOCK, WIDTH)                                                                           \
    __attribute__((target(TARGET))) static int NAME(const float *planes, int cin, int sw, int hp, int wq,           \
                                                    const float *packed, int cb, int cout, int sh, const int *offs, \
                                                    int taps, const float *BT, const float *bias, float *out,       \
                                                    int oh, int ow, int i0, int n, float *T, float *mbuf) {          \
        return tile(BLOCK, WIDTH, planes, cin, sw, hp, wq, packed, cb, cout, sh, offs, taps, BT, bias, out, oh, ow,  \
                    i0, n, T, mbuf);                                                                               \
    }
TILE(tile8, "avx2,fma", tp_block8_any, 8)
TILE(tile16_avx512, "avx512f,avx2,fma", tp_block16_avx512, 16)
TILE(tile16_avx2, "avx2,fma", tp_block16_avx2, 16)

/// The plain sums of output rows [row0, row1) at the given width (rows past the last whole tile, tiles with
/// an inf or NaN output).
static void direct(int width, int native, const float *planes, int cin, int sw, int hp, int wq, const float *packed,
                   int cb, int cout, int kh, int kw, int sh, int dw, const float *bias, float *out, int oh, int ow,
                   int row0, int row1) {
    if (width == 16)
        tp_conv_direct_rows_wide(planes, cin, sw, hp, wq, packed, cb, cout, kh, kw, sh, 1, dw, bias, out, oh, ow, row0,
                                 row1, native);
    else
        tp_conv_direct_rows(planes, cin, sw, hp, wq, packed, cb, cout, kh, kw, sh, 1, dw, bias, out, oh, ow, row0, row1);
}

__attribute__((target("avx2,fma")))
void tp_conv_rowwino_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packedT,
                          const float *packed, int cb, int cout, int kh, int kw, int sh, int dw, const float *bias,
                          float *out, int oh, int ow, int row0, int row1, float *scratch, int wide, int native) {
    int n = tp_conv_rowwino_tile(kh, sh, 1), width = wide ? 16 : 8;
    if (n == 0) {
        direct(width, native, planes, cin, sw, hp, wq, packed, cb, cout, kh, kw, sh, dw, bias, out, oh, ow, row0, row1);
        return;
    }
    tile_fn tilef = !wide ? tile8 : native && tp_conv_wide_supported() ? tile16_avx512 : tile16_avx2;
    int r = ALPHA + 1 - n;
    float AT[ALPHA * ALPHA], G[ALPHA * ALPHA], BT[ALPHA * ALPHA];
    matrices(n, r, AT, G, BT);
    int offs[1024], taps = 0;   // tap (c, ph, v) in one point's transformed rows
    for (int c = 0; c < cin; c++)
        for (int ph = 0; ph < sh; ph++)
            for (int v = 0; v < kw; v++) {
                int col = v * dw;
                offs[taps++] = ((c * sh + ph) * sw + col % sw) * wq + col / sw;
            }
    float *T = scratch, *mbuf = scratch + (size_t)ALPHA * cin * sh * sw * wq;
    int i0 = row0;
    for (; i0 + n <= row1; i0 += n)
        if (!tilef(planes, cin, sw, hp, wq, packedT, cb, cout, sh, offs, taps, BT, bias, out, oh, ow, i0, n, T, mbuf))
            direct(width, native, planes, cin, sw, hp, wq, packed, cb, cout, kh, kw, sh, dw, bias, out, oh, ow, i0, i0 + n);
    if (i0 < row1)
        direct(width, native, planes, cin, sw, hp, wq, packed, cb, cout, kh, kw, sh, dw, bias, out, oh, ow, i0, row1);
}
#else
void tp_conv_rowwino_rows(const float *planes, int cin, int sw, int hp, int wq, const float *packedT,
                          const float *packed, int cb, int cout, int kh, int kw, int sh, int dw, const float *bias,
                          float *out, int oh, int ow, int row0, int row1, float *scratch, int wide, int native) {}
#endif
