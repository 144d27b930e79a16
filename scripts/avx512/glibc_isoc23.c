// BochsCPU's wheel was linked against glibc 2.38, whose C23 strtoull and sscanf it calls by their
// new names; Debian 12 has glibc 2.36. The two functions, forwarded to the old ones (run.sh preloads
// this only where glibc lacks them).
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

unsigned long long __isoc23_strtoull(const char *s, char **end, int base) { return strtoull(s, end, base); }

int __isoc23_sscanf(const char *s, const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    int n = vsscanf(s, format, ap);
    va_end(ap);
    return n;
}
