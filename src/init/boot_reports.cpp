#include "init/boot_reports.hpp"

#include "arch/arch.hpp"
#include "arch/setup.hpp"
#include "kernel/log/log.hpp"
#include "kernel/mm/kernel_heap.hpp"
#include "lib/format/buffer.hpp"

namespace init {

void report_heap() {
    const kernel::mm::HeapStats s = kernel::mm::heap_stats();
    kernel::log::info("heap: {} bytes in use ({} large blocks), high water {} bytes, {} KiB held",
                      s.bytes_in_use, s.large_blocks, s.high_water, s.pages_held * 4);
    for (const kernel::mm::HeapClassStats& c : s.classes)
        if (c.slabs != 0)
            kernel::log::debug("heap: class {:>4} B: {} blocks in use, {} slabs", c.size,
                               c.blocks_in_use, c.slabs);
}

void report_phase_times(const kernel::PhaseStarts& starts) {
    if (kernel::log::level() > kernel::log::Level::Debug) return;
    kfmt::Buffer<480> line;
    kfmt::Sink sink(line);
    kernel::write_phase_times(sink, starts, arch::boot_timestamp(), arch::read_timestamp(),
                              arch::timestamp_rate());
    kernel::log::debug("boot phases: {}", line.view());
}

void report_ready() {
    using kernel::log::Level;
    using kernel::log::Style;
    if (arch::timestamp_counts_from_boot())
        kernel::log::styled(Level::Info, Style::Good, "ready in {} us",
                            arch::microseconds_since_boot());
    else if (arch::timestamp_rate() != 0)
        kernel::log::styled(Level::Info, Style::Good,
                            "ready (boot time unknown: no TSC; the clock runs on {})",
                            arch::timestamp_rate_source());
    else
        kernel::log::styled(Level::Info, Style::Good, "ready (boot time unknown: no TSC rate)");
}

}  // namespace init
