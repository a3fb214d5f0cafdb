// The loader's information as kernel_main takes it: what src/boot/ may read
// of the loader's memory, the command line without a word the copy cut, and
// the panic that refuses information src/boot/ could not decode.
#pragma once

#include "boot/loader.hpp"
#include "boot/params.hpp"

namespace init {

// What src/boot/ may read of the loader's memory: what the boot tables map
// (null elsewhere).
const u8* read_loader_memory(u64 phys, u64 size);

// The command line without a word the copy cut in the middle: half an
// option (test=paging_x cut to test=pag) must not be acted upon.
ktl::string_view complete_words(const ktl::FixedString<1024>& cmdline);

// The panic for boot information that is not valid: where it is and why,
// with the tag at fault when there is one. Called once a console is up.
[[noreturn]] void refuse_boot_information(boot::Handoff handoff,
                                          const boot::DescribeResult& result);

}  // namespace init
