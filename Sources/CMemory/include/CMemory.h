// mremap for TensorCore's BlockCache (glibc declares it variadic, which Swift does not import).
#pragma once
#include <stddef.h>

/// Resizes the mapping of `old_size` bytes at `address` to `new_size` bytes (it may move; the
/// pages kept keep their contents, pages added read as zeros); NULL when the kernel refuses.
void *tp_remap(void *address, size_t old_size, size_t new_size);
