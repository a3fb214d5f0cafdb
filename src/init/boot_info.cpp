#include "init/boot_info.hpp"

#include "arch/arch.hpp"
#include "kernel/panic/panic.hpp"

namespace init {

const u8* read_loader_memory(u64 phys, u64 size) {
    return arch::directly_mapped(phys, size) ? arch::phys_to_virt<const u8>(phys) : nullptr;
}

ktl::string_view complete_words(const ktl::FixedString<1024>& cmdline) {
    ktl::string_view text = cmdline.view();
    if (!cmdline.truncated) return text;
    usize end = text.size();
    while (end > 0 && text[end - 1] != ' ') --end;
    return text.substr(0, end);
}

[[noreturn]] void refuse_boot_information(boot::Handoff handoff,
                                          const boot::DescribeResult& result) {
    if (result.has_item)
        kernel::panic("invalid boot information at {:#x}: {} (tag type {} at offset {})",
                      handoff.info_phys, result.error, result.item_type, result.item_offset);
    kernel::panic("invalid boot information at {:#x}: {}", handoff.info_phys, result.error);
}

}  // namespace init
