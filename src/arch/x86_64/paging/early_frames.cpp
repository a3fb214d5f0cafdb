#include "arch/x86_64/paging/early_frames.hpp"

#include "arch/x86_64/bits.h"
#include "kernel/panic/panic.hpp"

namespace arch::paging::early_frames {

namespace {

struct alignas(kPageSize) Page {
    u8 bytes[kPageSize];
};

// In .bss, inside the kernel image: its physical address is its link
// address minus KERNEL_VIRTUAL_BASE, and both the boot tables and the final
// tables map it.
Page g_pool[kPoolPages];
usize g_used = 0;

}  // namespace

PhysAddr allocate() {
    if (g_used == kPoolPages)
        kernel::panic(
            "paging: all {} early page-table pages are used; the memory map needs more tables "
            "than the static pool holds (raise early_frames::kPoolPages)",
            kPoolPages);
    Page& page = g_pool[g_used++];
    __builtin_memset(page.bytes, 0, sizeof page.bytes);
    return PhysAddr{reinterpret_cast<uptr>(&page) - KERNEL_VIRTUAL_BASE};
}

usize used() { return g_used; }

}  // namespace arch::paging::early_frames
