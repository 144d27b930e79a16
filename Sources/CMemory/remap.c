#define _GNU_SOURCE
#include <sys/mman.h>
#include "CMemory.h"

void *tp_remap(void *address, size_t old_size, size_t new_size) {
    void *p = mremap(address, old_size, new_size, MREMAP_MAYMOVE);
    return p == MAP_FAILED ? NULL : p;
}
