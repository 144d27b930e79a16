#include "CStack.h"

__attribute__((noinline)) void *tp_stack_address(void) {
    return __builtin_frame_address(0);
}
