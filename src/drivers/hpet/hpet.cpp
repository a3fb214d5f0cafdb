#include "drivers/hpet/hpet.hpp"

#include "arch/arch.hpp"
#include "drivers/hpet/timer_registers.hpp"
#include "kernel/log/log.hpp"

namespace drivers::hpet {

namespace {

// Written once by init (before `g_present` is published), then read-only.
volatile u8* g_registers = nullptr;
Capabilities g_caps{};
bool g_present = false;

u64 read64(usize offset) { return *reinterpret_cast<volatile u64*>(g_registers + offset); }
u32 read32(usize offset) { return *reinterpret_cast<volatile u32*>(g_registers + offset); }
void write64(usize offset, u64 value) {
    *reinterpret_cast<volatile u64*>(g_registers + offset) = value;
}
void write32(usize offset, u32 value) {
    *reinterpret_cast<volatile u32*>(g_registers + offset) = value;
}

}  // namespace

Result<void, ktl::string_view> init(const kernel::acpi::Hpet& table) {
    if (table.base.space != static_cast<u8>(kernel::acpi::AddressSpace::Memory))
        return ktl::string_view{"the table places it outside memory space"};
    if (table.base.address % 8 != 0) return ktl::string_view{"its address is not 8-byte aligned"};
    const Result<u8*, VmError> mapped = arch::map_mmio(
        PhysRange::from_size(PhysAddr{table.base.address}, kBlockBytes), CacheType::Uncached);
    if (!mapped) {
        // A hostile table may place it past what the CPU can address, in
        // RAM (read as one and "enabled" by a write), or where writes are
        // interrupt messages: each refused by name.
        if (mapped.error() == VmError::PhysOutOfRange)
            return ktl::string_view{"its address is beyond the CPU's physical address width"};
        return ktl::string_view{describe(mapped.error())};
    }
    g_registers = *mapped;
    const Result<Capabilities, ktl::string_view> caps =
        decode_capabilities(read64(kCapabilitiesOffset));
    if (!caps) {
        // Not used: its mapping goes back (a failed unmap only leaks the range).
        (void)arch::unmap_mmio(g_registers, kBlockBytes);
        g_registers = nullptr;
        return caps.error();
    }
    g_caps = *caps;
    // Only ENABLE_CNF: the legacy replacement routing stays as the firmware
    // left it (off), so the PIT and RTC keep their interrupt lines.
    write64(kConfigurationOffset, read64(kConfigurationOffset) | kConfigEnable);
    const u64 hz = g_caps.hz();
    kernel::log::info("hpet: {:#x}, {}.{:03} MHz, {} timers, {}-bit", table.base.address,
                      hz / 1'000'000, hz / 1000 % 1000, g_caps.timers, g_caps.counter_bits());
    __atomic_store_n(&g_present, true, __ATOMIC_RELEASE);
    return {};
}

bool present() { return __atomic_load_n(&g_present, __ATOMIC_ACQUIRE); }
const Capabilities& capabilities() { return g_caps; }

u64 read_counter() {
    if (!present()) return 0;
    // A 32-bit counter is read with a 32-bit access: the spec leaves the
    // upper half of a 64-bit access undefined there.
    return g_caps.wide ? read64(kMainCounterOffset) : read32(kMainCounterOffset);
}

u64 read_register(usize offset) { return read64(offset); }
void write_register(usize offset, u64 value) { write64(offset, value); }

u64 read_timer_comparator(u8 timer, bool wide) {
    const u64 value = read64(timer_comparator_offset(timer));
    return wide ? value : value & 0xFFFF'FFFFULL;
}

void write_timer_comparator(u8 timer, u64 value, bool wide) {
    if (wide)
        write64(timer_comparator_offset(timer), value);
    else
        write32(timer_comparator_offset(timer), static_cast<u32>(value));
}

}  // namespace drivers::hpet
