#include "drivers/power/registers.hpp"

#include "arch/arch.hpp"
#include "arch/io.hpp"
#include "lib/units.hpp"

namespace drivers::power {
namespace {

using kernel::acpi::AddressSpace;

struct Mapped {
    u64 page;
    u8* virt;
};
// PM1a/b event and control, sleep control and status, the reset register,
// the two GPE blocks (each may straddle a page boundary).
constexpr usize kMaxMapped = 12;
Mapped g_mapped[kMaxMapped];
usize g_mapped_count = 0;

u64 page_of(u64 address) { return address & ~u64{kPageSize - 1}; }

volatile u8* memory_address(const kernel::power::Register& r) {
    const u64 page = page_of(r.where.address);
    // A register straddling two pages is refused rather than half mapped.
    if (page_of(r.where.address + r.bytes - 1) != page) return nullptr;
    for (usize i = 0; i < g_mapped_count; ++i)
        if (g_mapped[i].page == page) return g_mapped[i].virt + (r.where.address - page);
    return nullptr;
}

bool is(const kernel::power::Register& r, AddressSpace space) {
    return r.where.space == static_cast<u8>(space);
}

bool io_port_fits(const kernel::power::Register& r) { return r.where.address + r.bytes <= 0x10000; }

}  // namespace

bool prepare(const kernel::power::Register& r) {
    if (!r.present()) return false;
    if (is(r, AddressSpace::Io)) return io_port_fits(r);
    if (!is(r, AddressSpace::Memory)) return false;
    if (memory_address(r) != nullptr) return true;
    if (g_mapped_count == kMaxMapped) return false;
    const u64 page = page_of(r.where.address);
    const Result<u8*, VmError> m =
        arch::map_mmio(PhysRange::from_size(PhysAddr{page}, kPageSize), CacheType::Uncached);
    if (!m) return false;
    g_mapped[g_mapped_count++] = {page, *m};
    return memory_address(r) != nullptr;
}

u32 read(const kernel::power::Register& r) {
    if (!r.present()) return 0xFFFF'FFFF;
    if (is(r, AddressSpace::Io) && io_port_fits(r)) {
        const arch::Port port{static_cast<u16>(r.where.address)};
        if (r.bytes == 1) return arch::in8(port);
        if (r.bytes == 2) return arch::in16(port);
        return arch::in32(port);
    }
    volatile u8* m = is(r, AddressSpace::Memory) ? memory_address(r) : nullptr;
    if (m == nullptr) return 0xFFFF'FFFF;
    if (r.bytes == 1) return *m;
    if (r.bytes == 2) return *reinterpret_cast<volatile u16*>(m);
    return *reinterpret_cast<volatile u32*>(m);
}

void write(const kernel::power::Register& r, u32 value) {
    if (!r.present()) return;
    if (is(r, AddressSpace::Io) && io_port_fits(r)) {
        const arch::Port port{static_cast<u16>(r.where.address)};
        if (r.bytes == 1)
            arch::out8(port, static_cast<u8>(value));
        else if (r.bytes == 2)
            arch::out16(port, static_cast<u16>(value));
        else
            arch::out32(port, value);
        return;
    }
    volatile u8* m = is(r, AddressSpace::Memory) ? memory_address(r) : nullptr;
    if (m == nullptr) return;
    if (r.bytes == 1)
        *m = static_cast<u8>(value);
    else if (r.bytes == 2)
        *reinterpret_cast<volatile u16*>(m) = static_cast<u16>(value);
    else
        *reinterpret_cast<volatile u32*>(m) = value;
}

}  // namespace drivers::power
