// The C++ ABI hooks a freestanding kernel must define itself.
#include "kernel/panic/panic.hpp"

extern "C" {

// A pure virtual call means a vtable was used mid-construction: a kernel bug.
[[noreturn]] void __cxa_pure_virtual() { kernel::panic("pure virtual function called"); }

// Global destructors never run: the kernel does not exit. -fno-use-cxa-atexit
// makes the compiler register them through atexit(), which records nothing.
int atexit(void (*destructor)()) {
    (void)destructor;
    return 0;
}

}  // extern "C"
