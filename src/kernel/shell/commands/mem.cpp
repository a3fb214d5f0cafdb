#include "kernel/mm/buddy.hpp"
#include "kernel/mm/frame_allocator.hpp"
#include "kernel/shell/commands/commands.hpp"

namespace kernel::shell::commands {

namespace {
constexpr mm::Zone kZones[] = {mm::Zone::Low, mm::Zone::Dma32, mm::Zone::Normal};

Status run(Io& io, const Args& args) {
    if (args.count() > 1) return Status::Usage;
    if (!mm::frame_allocator_ready()) {
        io.write("mem: the frame allocator is not running\n");
        return Status::Failed;
    }
    struct Zone {
        u64 free;
        u64 total;
    } zones[mm::kZoneCount];
    // Copied under the allocator's lock, printed after it (printing takes
    // the log's lock, and a wait on a UART must not hold up allocations).
    const mm::FrameSummary summary = mm::frame_allocator().with([&](mm::BuddyAllocator& b) {
        for (usize i = 0; i < mm::kZoneCount; ++i)
            zones[i] = {b.free_frames(kZones[i]), b.total_frames(kZones[i])};
        return mm::summarize(b);
    });
    io.print("frames: {} MiB free of 4 KiB frames; bookkeeping {} KiB\n", summary.free_mib,
             summary.bookkeeping_kib);
    io.write("zone      free frames  total frames  free\n");
    for (usize i = 0; i < mm::kZoneCount; ++i)
        io.print("{:<8}  {:>11}  {:>12}  {} KiB\n", mm::zone_name(kZones[i]), zones[i].free,
                 zones[i].total, zones[i].free * 4);
    return Status::Ok;
}
}  // namespace

const Command kMem{"mem", "physical memory: free and total frames per zone", "", nullptr, run};

}  // namespace kernel::shell::commands
