#include "kernel/mm/kernel_heap.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    if (!mm::kernel_heap_ready()) {
        io.write("heap: the kernel heap is not running\n");
        return Status::Failed;
    }
    const mm::HeapStats s = mm::heap_stats();
    io.print("heap: {} bytes in use, high water {} bytes, {} KiB held\n", s.bytes_in_use,
             s.high_water, s.pages_held * 4);
    io.print("large blocks: {} ({} bytes)\n", s.large_blocks, s.large_bytes);
    io.write("class  blocks in use  slabs\n");
    for (const mm::HeapClassStats& c : s.classes)
        io.print("{:>5}  {:>13}  {:>5}\n", c.size, c.blocks_in_use, c.slabs);
    return Status::Ok;
}
}  // namespace

const Command kHeap{"heap", "the kernel heap: bytes in use, per size class", "", nullptr, run};

}  // namespace kernel::shell::commands
