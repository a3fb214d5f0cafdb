#include "kernel/mm/alloc_panic.hpp"

#include "kernel/debug/debug.hpp"
#include "kernel/panic/panic.hpp"

namespace kernel::mm {

void panic_on_frame_error(const FrameError& error, void* /*unused*/) {
    debug::SymbolText caller;
    debug::symbolize(reinterpret_cast<uptr>(error.caller), caller, true);
    if (error.kind == FrameErrorKind::WrongOrder)
        panic("{} of frame {} (order {}, allocated as order {}) by {}", describe(error.kind),
              error.phys, error.order, error.allocated_order, caller.view());
    panic("{} of frame {} (order {}) by {}", describe(error.kind), error.phys, error.order,
          caller.view());
}

void panic_on_heap_error(const HeapError& error, void* /*unused*/) {
    debug::SymbolText caller;
    debug::symbolize(reinterpret_cast<uptr>(error.caller), caller, true);
    const auto block = reinterpret_cast<uptr>(error.block);
    switch (error.kind) {
        case HeapErrorKind::Overflow:
            panic("heap-overflow: block {:#x} ({} bytes), byte {} written, freed by {}", block,
                  error.size, error.offset, caller.view());
        case HeapErrorKind::UseAfterFree:
            panic("use-after-free: freed block {:#x} written at byte {}, found allocating for {}",
                  block, error.offset, caller.view());
        case HeapErrorKind::DoubleFree:
        case HeapErrorKind::InvalidFree:
            break;
    }
    panic("{}: block {:#x} by {}", describe(error.kind), block, caller.view());
}

}  // namespace kernel::mm
