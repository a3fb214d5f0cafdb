#include "drivers/pci/port_access.hpp"

#include "arch/io.hpp"
#include "kernel/sync/guard.hpp"

namespace drivers::pci {

namespace {

constexpr arch::Port kAddressPort{0xCF8};
constexpr u16 kDataPort = 0xCFC;
constexpr u32 kEnable = 1U << 31;

// The address of the dword holding `offset`; the low two bits of the
// offset select a byte lane of the data port instead.
constexpr u32 dword_address(Address a, u16 offset) {
    return kEnable | (u32{a.bus} << 16) | (u32{a.device & 31U} << 11) |
           (u32{a.function & 7U} << 8) | (offset & 0xFCU);
}

constexpr arch::Port data_port(u16 offset) {
    return arch::Port{static_cast<u16>(kDataPort + (offset & 3U))};
}

}  // namespace

u8 PortConfigAccess::read8(Address a, u16 offset) {
    if (!valid_offset(offset, 1, size())) return 0xFF;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    return arch::in8(data_port(offset));
}

u16 PortConfigAccess::read16(Address a, u16 offset) {
    if (!valid_offset(offset, 2, size())) return 0xFFFF;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    return arch::in16(data_port(offset));
}

u32 PortConfigAccess::read32(Address a, u16 offset) {
    if (!valid_offset(offset, 4, size())) return 0xFFFFFFFF;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    return arch::in32(data_port(offset));
}

void PortConfigAccess::write8(Address a, u16 offset, u8 value) {
    if (!valid_offset(offset, 1, size())) return;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    arch::out8(data_port(offset), value);
}

void PortConfigAccess::write16(Address a, u16 offset, u16 value) {
    if (!valid_offset(offset, 2, size())) return;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    arch::out16(data_port(offset), value);
}

void PortConfigAccess::write32(Address a, u16 offset, u32 value) {
    if (!valid_offset(offset, 4, size())) return;
    kernel::IrqSaveSpinlockGuard guard(lock_);
    arch::out32(kAddressPort, dword_address(a, offset));
    arch::out32(data_port(offset), value);
}

bool PortConfigAccess::present() {
    kernel::IrqSaveSpinlockGuard guard(lock_);
    const u32 saved = arch::in32(kAddressPort);
    arch::out32(kAddressPort, kEnable);
    const bool kept = arch::in32(kAddressPort) == kEnable;
    arch::out32(kAddressPort, saved);
    return kept;
}

}  // namespace drivers::pci
