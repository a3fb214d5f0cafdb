#include "init/efi.hpp"

#include "arch/arch.hpp"
#include "kernel/efi/system_table.hpp"
#include "kernel/log/log.hpp"
#include "lib/format/format.hpp"

namespace init {

namespace {

namespace efi = kernel::efi;

// The firmware vendor, or why it is not shown.
void vendor_of(const boot::BootParams& params, PhysAddr at, kfmt::Buffer<80>& out) {
    constexpr usize kMaxChars = 48;
    if (at.value() == 0) {
        kfmt::format_to(out, "no vendor");
        return;
    }
    // One in runtime memory is there for good; one in memory the kernel
    // may have handed out since is not read.
    if (params.usable_ram_overlaps(PhysRange::from_size(at, 2))) {
        kfmt::format_to(out, "vendor string in reusable memory");
        return;
    }
    const Result<const u8*, VmError> m =
        arch::map_readonly(PhysRange::from_size(at, kMaxChars * 2));
    if (!m) {
        kfmt::format_to(out, "vendor string unreadable: {}", describe(m.error()));
        return;
    }
    char text[kMaxChars];
    const usize n = efi::vendor_text({*m, kMaxChars * 2}, {text, kMaxChars});
    kfmt::format_to(out, "\"{}\"", ktl::string_view{text, n});
}

}  // namespace

void report_efi_system_table(const boot::BootParams& params) {
    const bool is_64 = params.efi_system_table.has_value();
    const ktl::optional<PhysAddr> at = is_64 ? params.efi_system_table : params.efi32_system_table;
    if (!at) return;
    // Runtime-services memory, which the direct map leaves out (it may be
    // MMIO as far as the memory map tells): a read-only mapping of its own,
    // kept, as the ACPI tables' are.
    const Result<const u8*, VmError> m =
        arch::map_readonly(PhysRange::from_size(*at, efi::kSystemTableBytes));
    if (!m) {
        kernel::log::warn("efi: the system table at {:#x} cannot be mapped: {}", *at,
                          describe(m.error()));
        return;
    }
    const Result<efi::SystemTable, efi::SystemTableError> table =
        efi::parse_system_table({*m, efi::kSystemTableBytes}, is_64);
    if (!table) {
        kernel::log::warn("efi: the loader's system table at {:#x} is unusable: {}", *at,
                          efi::describe(table.error()));
        return;
    }
    kfmt::Buffer<80> vendor;
    vendor_of(params, PhysAddr{table->firmware_vendor}, vendor);
    kernel::log::info("efi: system table at {:#x}, UEFI {}, firmware {} revision {:#x}", *at,
                      efi::revision_text(table->revision).view(), vendor.view(),
                      table->firmware_revision);
    if (!table->crc_ok)
        kernel::log::warn(
            "efi: the system table's header CRC32 is wrong (used for this line only)");
}

}  // namespace init
