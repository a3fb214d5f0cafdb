// The boot report: what the kernel learned about its machine, logged in the
// stable, documented form of README.md "Observable contract".
#pragma once

#include "boot/params.hpp"
#include "kernel/mm/physical_regions.hpp"
#include "kernel/options/kernel_options.hpp"

namespace kernel {

void report_boot_params(const boot::BootParams& params);
// Writes the raw boot information as hex lines ("mbi-dump ..."), the form
// tools/capture_mbi.py turns back into the golden files in tests/data/mbi/.
void dump_boot_info_bytes(ktl::span<const u8> mbi);
void report_options(const kernel::options::KernelOptions& options,
                    const kernel::options::UnknownSink& rejected);
// "reserved: <kind> <first>-<last> (<size>)" per reservation, then
// "free memory: <N> MiB in <K> ranges (after <M> reservations)"; each free
// range at debug level.
void report_physical_regions(const mm::PhysicalRegions& regions);

}  // namespace kernel
