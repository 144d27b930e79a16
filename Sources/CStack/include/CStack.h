// The machine stack pointer as C sees it, for TensorCore's StackGuard.
// A Swift local's address is not one: under AddressSanitizer's use-after-return
// detection (its default, detect_stack_use_after_return=1) locals whose address is taken
// live in "fake stack" frames on the heap, far from the thread's stack.
#pragma once

/// The frame address of this (never inlined) function: a byte of the calling thread's
/// real stack, just below its caller's frame.
void *tp_stack_address(void);
