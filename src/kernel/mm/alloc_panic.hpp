// The kernel's answer to an allocator error: a panic naming the frame or
// block and the caller. Given to BuddyConfig::on_error and Heap::init when
// the allocators are wired into the boot.
#pragma once

#include "kernel/mm/buddy.hpp"
#include "kernel/mm/heap.hpp"

namespace kernel::mm {

// "PANIC: double free of frame 0x1234000 (order 0) by foo()+0x1c"
[[noreturn]] void panic_on_frame_error(const FrameError& error, void* context);
// "PANIC: heap-overflow: block 0x... (24 bytes), byte 24 written, freed by foo()+0x1c"
[[noreturn]] void panic_on_heap_error(const HeapError& error, void* context);

}  // namespace kernel::mm
