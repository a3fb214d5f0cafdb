// The boot report: what the kernel learned about its machine, logged in the
// stable, documented form of README.md "Observable contract".
#pragma once

#include "kernel/boot/kernel_options.hpp"
#include "kernel/boot/multiboot2/boot_info.hpp"

namespace kernel {

void report_boot_info(const boot::multiboot2::BootInfo& info);
void report_options(const boot::KernelOptions& options, const boot::UnknownSink& rejected);

}  // namespace kernel
