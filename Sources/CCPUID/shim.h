// What the CPU is: its vendor (ATen draws bernoulli_(p) from MKL's stream on Intel
// CPUs and from its own elsewhere) and the vector features OpenBLAS's kernels need
// (to pick OPENBLAS_CORETYPE when OpenBLAS's own detection falls back to Prescott).
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
static inline int tensorpad_cpu_is_intel(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    return b == 0x756e6547u && d == 0x49656e69u && c == 0x6c65746eu;  // "GenuineIntel"
}
static inline int tensorpad_cpu_is_amd(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    return b == 0x68747541u && d == 0x69746e65u && c == 0x444d4163u;  // "AuthenticAMD"
}
// Bits: 1 SSE3, 2 AVX, 4 AVX2, 8 FMA, 16 AVX-512F, 32 AVX-512BW, 64 AVX-512VL,
// 128 AVX-512DQ, 256 AVX-512CD. AVX and AVX-512 count only when the OS saves their
// registers (XGETBV), as OpenBLAS's own checks do.
static inline unsigned int tensorpad_cpu_features(void) {
    unsigned int a, b, c, d, f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & 1u) f |= 1u;
    int osxsave = (c >> 27) & 1u;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int ymm = (xcr0 & 0x6u) == 0x6u, zmm = (xcr0 & 0xe6u) == 0xe6u;
    if (ymm && (c & (1u << 28))) f |= 2u;
    if (ymm && (c & (1u << 12))) f |= 8u;
    unsigned int maxLeaf = __get_cpuid_max(0, 0);
    if (maxLeaf >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if (ymm && (b & (1u << 5))) f |= 4u;
        if (zmm) {
            if (b & (1u << 16)) f |= 16u;
            if (b & (1u << 30)) f |= 32u;
            if (b & (1u << 31)) f |= 64u;
            if (b & (1u << 17)) f |= 128u;
            if (b & (1u << 28)) f |= 256u;
        }
    }
    return f;
}
// The CPU's brand string ("AMD EPYC 9R14 96-Core Processor"), NUL-terminated in out[49].
static inline void tensorpad_cpu_brand(char out[49]) {
    unsigned int r[12] = {0}, a, b, c, d;
    out[0] = 0;
    if (__get_cpuid_max(0x80000000u, 0) < 0x80000004u) return;
    for (unsigned int i = 0; i < 3; i++) {
        __cpuid(0x80000002u + i, a, b, c, d);
        r[i * 4] = a; r[i * 4 + 1] = b; r[i * 4 + 2] = c; r[i * 4 + 3] = d;
    }
    __builtin_memcpy(out, r, 48);
    out[48] = 0;
}
#else
static inline int tensorpad_cpu_is_intel(void) { return 0; }
static inline int tensorpad_cpu_is_amd(void) { return 0; }
static inline unsigned int tensorpad_cpu_features(void) { return 0; }
static inline void tensorpad_cpu_brand(char out[49]) { out[0] = 0; }
#endif
