// The firmware's tables as the kernel holds them (init/acpi.cpp): every
// listed table read through a mapping that cannot be written, made once
// and reused (test=acpi_ on the command line).
#include "arch/arch.hpp"
#include "init/acpi.hpp"
#include "kernel/boot_state.hpp"
#include "kernel/test/ktest.hpp"

namespace {

KTEST(acpi_tables_are_mapped_read_only_once) {
    const kernel::acpi::Platform* platform = kernel::acpi_platform();
    if (platform == nullptr) return;  // no ACPI (acpi=off): nothing to hold
    usize checked = 0;
    for (const kernel::acpi::TableEntry& e : platform->tables.entries()) {
        if (!e.usable()) continue;
        const ktl::span<const u8> bytes = init::acpi_table_bytes(e);
        KEXPECT(bytes.size() == e.length);
        if (bytes.empty()) continue;
        KEXPECT(!arch::kernel_writable(bytes.data()));
        KEXPECT(!arch::kernel_writable(bytes.data() + bytes.size() - 1));
        KEXPECT(init::acpi_table_bytes(e).data() == bytes.data());  // the same mapping again
        ++checked;
    }
    KEXPECT(checked == platform->tables.usable_count());
    KEXPECT(checked > 0);
}

}  // namespace
