#include "drivers/pci/ecam_access.hpp"

#include "arch/arch.hpp"
#include "kernel/acpi/mcfg.hpp"
#include "kernel/sync/guard.hpp"

namespace drivers::pci {

namespace {
using kernel::acpi::kEcamBusBytes;
constexpr u64 kFunctionBytes = 4096;  // one function's configuration space
}  // namespace

bool EcamConfigAccess::init(u64 base, u8 start_bus, u8 end_bus) {
    if (end_bus < start_bus || base % kEcamBusBytes != 0) return false;
    u64 end = 0;
    if (__builtin_add_overflow(base, (u64{end_bus} + 1) * kEcamBusBytes, &end)) return false;
    base_ = base;
    start_ = start_bus;
    end_ = end_bus;
    return true;
}

u8* EcamConfigAccess::bus(u8 number) {
    u8* mapped = __atomic_load_n(&buses_[number], __ATOMIC_ACQUIRE);
    if (mapped != nullptr) return mapped;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    mapped = buses_[number];
    if (mapped != nullptr) return mapped;
    const PhysRange range =
        PhysRange::from_size(PhysAddr{base_ + u64{number} * kEcamBusBytes}, kEcamBusBytes);
    const Result<u8*, VmError> m = arch::map_mmio(range, CacheType::Uncached);
    if (!m) {
        map_error_ = m.error();
        return nullptr;
    }
    __atomic_store_n(&buses_[number], *m, __ATOMIC_RELEASE);
    return *m;
}

volatile u8* EcamConfigAccess::at(Address a, u16 offset, u16 width) {
    if (a.bus < start_ || a.bus > end_ || a.device >= kDevicesPerBus ||
        a.function >= kFunctionsPerDevice || !valid_offset(offset, width, size()))
        return nullptr;
    u8* b = bus(a.bus);
    if (b == nullptr) return nullptr;
    return b + (u64{a.device} * kFunctionsPerDevice + a.function) * kFunctionBytes + offset;
}

u8 EcamConfigAccess::read8(Address a, u16 offset) {
    volatile u8* p = at(a, offset, 1);
    return p != nullptr ? *p : 0xFF;
}

u16 EcamConfigAccess::read16(Address a, u16 offset) {
    volatile u8* p = at(a, offset, 2);
    return p != nullptr ? *reinterpret_cast<volatile u16*>(p) : 0xFFFF;
}

u32 EcamConfigAccess::read32(Address a, u16 offset) {
    volatile u8* p = at(a, offset, 4);
    return p != nullptr ? *reinterpret_cast<volatile u32*>(p) : 0xFFFF'FFFF;
}

void EcamConfigAccess::write8(Address a, u16 offset, u8 value) {
    if (volatile u8* p = at(a, offset, 1)) *p = value;
}

void EcamConfigAccess::write16(Address a, u16 offset, u16 value) {
    if (volatile u8* p = at(a, offset, 2)) *reinterpret_cast<volatile u16*>(p) = value;
}

void EcamConfigAccess::write32(Address a, u16 offset, u32 value) {
    if (volatile u8* p = at(a, offset, 4)) *reinterpret_cast<volatile u32*>(p) = value;
}

}  // namespace drivers::pci
