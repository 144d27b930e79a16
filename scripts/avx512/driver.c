// The conv kernels' AVX-512F builds, run where no AVX-512 CPU is: a freestanding program (no libc,
// no OS) that `run.py` loads into BochsCPU, an x86-64 emulator whose CPU model has AVX-512, and
// runs to its `hlt`. Each case computes one convolution through CConv's public entry points with
// native = 1 (the AVX-512F builds, which they pick when cpuid and XCR0 report AVX-512F and its zmm
// state), and again with native = 0 (the AVX2 builds of the same wide kernels), or the 16 products of
// a Winograd work item through CWinograd's hand kernel at 16 tiles a vector (its AVX-512F build
// there, and its 8-tile AVX2 kernel beside it), and compares both with the definition computed
// here in scalar code. The results go to `tp_report`, which run.py reads back from the emulator's
// memory.
#include "CConv.h"
#include "CWinograd.h"
#include "../../Sources/CCPUID/shim.h"
#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n) {
    unsigned char *dd = d;
    const unsigned char *ss = s;
    while (n--) *dd++ = *ss++;
    return d;
}
void *memmove(void *d, const void *s, size_t n) {
    unsigned char *dd = d;
    const unsigned char *ss = s;
    if (dd < ss) while (n--) *dd++ = *ss++;
    else while (n--) dd[n] = ss[n];
    return d;
}
void *memset(void *d, int c, size_t n) {
    unsigned char *dd = d;
    while (n--) *dd++ = (unsigned char)c;
    return d;
}

enum { MAXCASES = 16 };

/// What run.py reads: the CPU's features as Tensorpad sees them, whether the wide kernels' AVX-512F
/// builds run, and per case its kernel, the largest error of each build against the definition
/// (relative to the output's largest magnitude) and the outputs compared.
struct report {
    unsigned int magic, features, wide_supported, cases;
    struct { int kernel, outputs; float err_native, err_avx2; } c[MAXCASES];
    unsigned int done;
} tp_report;

// Static memory: the emulator maps the whole image, so no allocator is needed.
static float xbuf[1 << 16], wbuf[1 << 15], bias[64], ref[1 << 17], out[1 << 17];
static float planes[1 << 18], packed[1 << 16], packedT[1 << 17], scratch[1 << 17];

static unsigned int rng = 12345;
static float uniform(void) {   // in [-1, 1)
    rng = rng * 1664525u + 1013904223u;
    return (float)(rng >> 8) / (float)(1 << 23) - 1.0f;
}

static float fabsf_(float x) { return x < 0 ? -x : x; }

enum { SPATIAL = 0, ROW_WINOGRAD = 1, CHANNELS = 2, WINOGRAD_PRODUCTS = 3 };

/// One convolution (one image, square stride s, padding p, no dilation) by `kernel` at 16 floats a
/// vector, through the AVX-512F build (native = 1) or the AVX2 one (native = 0), into `out`.
static void conv(int kernel, int native, int cin, int h, int w, int cout, int k, int s, int p, int oh, int ow) {
    int cols = 16, wq = (ow + cols - 1) / cols * cols + (k - 1) / s + 1;
    int hp = (oh + 8) * s + k;   // rows past the image are zeros (the row Winograd reads a tile's whole reach)
    tp_conv_phase_planes(xbuf, cin, h, w, p, p, s, hp, wq, planes);
    int taps = cin * k * k;
    if (kernel == CHANNELS) {
        int cv = cout > 16 ? 2 : 1;
        tp_conv_pack_weights(wbuf, cout, taps, 16 * cv, packed);
        tp_conv_direct_positions_wide(planes, cin, s, hp, wq, packed, cv, cout, k, k, s, 1, 1, bias, out, oh, ow, 0,
                                      oh * ow, native);
        return;
    }
    int cb = tp_conv_spatial_block(cout);
    tp_conv_pack_weights(wbuf, cout, taps, cb, packed);
    if (kernel == SPATIAL) {
        tp_conv_direct_rows_wide(planes, cin, s, hp, wq, packed, cb, cout, k, k, s, 1, 1, bias, out, oh, ow, 0, oh,
                                 native);
    } else {
        tp_conv_rowwino_pack(wbuf, cout, cin, k, k, s, cb, packedT);
        tp_conv_rowwino_rows(planes, cin, s, hp, wq, packedT, packed, cb, cout, k, k, s, 1, bias, out, oh, ow, 0, oh,
                             scratch, 1, native);
    }
}

static void run_case(int kernel, int cin, int h, int w, int cout, int k, int s, int p) {
    int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
    for (int i = 0; i < cin * h * w; i++) xbuf[i] = uniform();
    for (int i = 0; i < cout * cin * k * k; i++) wbuf[i] = 0.2f * uniform();
    for (int i = 0; i < cout; i++) bias[i] = uniform();
    float scale = 0;
    for (int o = 0; o < cout; o++)
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) {
                float acc = bias[o];
                for (int c = 0; c < cin; c++)
                    for (int u = 0; u < k; u++)
                        for (int v = 0; v < k; v++) {
                            int y = i * s + u - p, x = j * s + v - p;
                            if (y >= 0 && y < h && x >= 0 && x < w)
                                acc += wbuf[((o * cin + c) * k + u) * k + v] * xbuf[(c * h + y) * w + x];
                        }
                ref[(o * oh + i) * ow + j] = acc;
                if (fabsf_(acc) > scale) scale = fabsf_(acc);
            }
    int n = tp_report.cases++;
    tp_report.c[n].kernel = kernel;
    tp_report.c[n].outputs = cout * oh * ow;
    for (int native = 1; native >= 0; native--) {
        for (int i = 0; i < cout * oh * ow; i++) out[i] = 1e30f;   // every output must be written
        conv(kernel, native, cin, h, w, cout, k, s, p, oh, ow);
        float err = 0;
        for (int i = 0; i < cout * oh * ow; i++) {
            float e = fabsf_(out[i] - ref[i]) / scale;
            if (!(e <= err)) err = e;   // NaN sticks
        }
        if (native) tp_report.c[n].err_native = err;
        else tp_report.c[n].err_avx2 = err;
    }
}

/// M[k] = U[k] · V[k] for the 16 k of a Winograd work item (cout × cin by cin × tiles), U in the hand
/// kernel's blocks of 6 channels: by the kernel with vectors of 16 tiles (wide = 1: its AVX-512F build
/// here) and of 8 (wide = 0: the AVX2 kernel), against the sums computed here.
static void products_case(int cout, int cin, int tiles) {
    int tiles8 = (tiles + 7) / 8 * 8, blocks = (cout + 5) / 6;
    long ustride = (long)blocks * 6 * cin, vstride = (long)cin * tiles8, mstride = (long)cout * tiles8;
    float *u = packedT, *v = planes;   // 16·ustride and 16·vstride floats
    for (long i = 0; i < 16 * ustride; i++) u[i] = uniform();
    for (long i = 0; i < 16 * vstride; i++) v[i] = uniform();
    float scale = 0;
    for (int k = 0; k < 16; k++)
        for (int co = 0; co < cout; co++)
            for (int t = 0; t < tiles; t++) {
                float acc = 0;
                for (int ci = 0; ci < cin; ci++)
                    acc += u[k * ustride + ((co / 6) * cin + ci) * 6 + co % 6] * v[k * vstride + ci * tiles8 + t];
                ref[(k * cout + co) * tiles + t] = acc;
                if (fabsf_(acc) > scale) scale = fabsf_(acc);
            }
    int n = tp_report.cases++;
    tp_report.c[n].kernel = WINOGRAD_PRODUCTS;
    tp_report.c[n].outputs = 16 * cout * tiles;
    for (int wide = 1; wide >= 0; wide--) {
        for (long i = 0; i < 16 * mstride; i++) out[i] = 1e30f;
        tp_wino_products(u, ustride, v, vstride, out, mstride, cout, cin, tiles, tiles8, wide);
        float err = 0;
        for (int k = 0; k < 16; k++)
            for (int co = 0; co < cout; co++)
                for (int t = 0; t < tiles; t++) {
                    float e = fabsf_(out[k * mstride + co * tiles8 + t] - ref[(k * cout + co) * tiles + t]) / scale;
                    if (!(e <= err)) err = e;
                }
        if (wide) tp_report.c[n].err_native = err;
        else tp_report.c[n].err_avx2 = err;
    }
}

int main(void) {
    tp_report.magic = 0x54504158u;   // "XAPT"
    tp_report.features = tensorpad_cpu_features();
    tp_report.wide_supported = (unsigned int)tp_conv_wide_supported();
    // The stem's shape on a 64² image (row Winograd, 4-row tiles; and its plain sums).
    run_case(ROW_WINOGRAD, 3, 64, 64, 64, 7, 2, 3);
    run_case(SPATIAL, 3, 64, 64, 64, 7, 2, 3);
    // A 5×5 over 3 channels (3-row tiles), with 33 channels (blocks of 3) and 17 columns (a last 16-column
    // vector holding one).
    run_case(ROW_WINOGRAD, 3, 21, 21, 33, 5, 1, 0);
    run_case(ROW_WINOGRAD, 3, 20, 37, 64, 5, 1, 2);
    // LeNet's conv1 (6 channels: blocks of 6) and conv2 by the channel kernel (16 and 32 lanes).
    run_case(SPATIAL, 1, 28, 28, 6, 5, 1, 2);
    run_case(CHANNELS, 6, 14, 14, 16, 5, 1, 0);
    run_case(CHANNELS, 6, 14, 14, 27, 5, 1, 0);
    // Winograd's products: 23 channels (a last block of 5) × 17 inputs over 53 tiles (blocks of 32, 16
    // and the last 8 tiles by the 8-tile kernel), and 64 × 64 over 96 tiles.
    products_case(23, 17, 53);
    products_case(64, 64, 96);
    tp_report.done = 1;
    return 0;
}

__attribute__((naked, noreturn)) void _start(void) {
    __asm__ volatile("andq $-64, %rsp\n call main\n 1: hlt\n jmp 1b\n");
}
