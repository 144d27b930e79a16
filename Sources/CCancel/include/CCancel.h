// Ctrl-C for kernels and the interpreter: one flag, read with a relaxed atomic load.
// In C, so the read inlines into every loop of the interpreter as a single load: a Swift
// `static let` of `Atomic<Bool>` is reached through its lazy initializer's accessor call.
#pragma once

extern int tp_cancel_flag;

static inline int tp_cancel_requested(void) { return __atomic_load_n(&tp_cancel_flag, __ATOMIC_RELAXED); }
static inline void tp_cancel_set(int on) { __atomic_store_n(&tp_cancel_flag, on, __ATOMIC_RELAXED); }
