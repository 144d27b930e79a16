// The CPU vendor, for the one place PyTorch's results depend on it: ATen draws
// bernoulli_(p) from MKL's stream on Intel CPUs and from its own elsewhere.
#pragma once
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
static inline int tensorpad_cpu_is_intel(void) {
    unsigned int a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d)) return 0;
    return b == 0x756e6547u && d == 0x49656e69u && c == 0x6c65746eu;  // "GenuineIntel"
}
#else
static inline int tensorpad_cpu_is_intel(void) { return 0; }
#endif
