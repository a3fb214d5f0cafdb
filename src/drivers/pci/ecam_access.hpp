// PCI Express enhanced configuration access (ECAM): each function's 4 KiB
// of configuration space in memory, at base + (bus << 20 | device << 15 |
// function << 12) (PCI Express Base 6.0 §7.2.2; the MCFG gives base and
// the bus range: kernel/acpi/mcfg.hpp). One segment, one region.
//
// A bus's 1 MiB is mapped uncached on its first access, not the whole
// region up front (256 buses would be 256 MiB of mappings for the one or
// two buses a PC has). The mapping is made under a lock; a bus once mapped
// is read without it. A first access to a bus may map memory, so it must
// not come from an interrupt handler: drivers touch their function's bus
// at probe time, which maps it.
#pragma once

#include "drivers/pci/config_access.hpp"
#include "kernel/sync/spinlock.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/result.hpp"
#include "lib/vm.hpp"

namespace drivers::pci {

class EcamConfigAccess final : public ConfigAccess {
public:
    // `base` is bus 0's address even when `start_bus` is higher (as the
    // MCFG gives it). False, changing nothing, for an empty bus range, or
    // a range whose addresses wrap or are not 1 MiB aligned.
    bool init(u64 base, u8 start_bus, u8 end_bus);

    u8 read8(Address a, u16 offset) override;
    u16 read16(Address a, u16 offset) override;
    u32 read32(Address a, u16 offset) override;
    void write8(Address a, u16 offset, u8 value) override;
    void write16(Address a, u16 offset, u16 value) override;
    void write32(Address a, u16 offset, u32 value) override;
    [[nodiscard]] u16 size() const override { return 4096; }
    [[nodiscard]] const char* name() const override { return "ECAM"; }

    [[nodiscard]] u64 base() const { return base_; }
    [[nodiscard]] u8 start_bus() const { return start_; }
    [[nodiscard]] u8 end_bus() const { return end_; }
    // Why the last bus mapping failed (an ECAM base in RAM, or beyond the
    // CPU's address width), if one did.
    [[nodiscard]] ktl::optional<VmError> map_error() const { return map_error_; }

private:
    // The function's registers at `offset`, or nullptr (outside the bus
    // range, a bad offset, or the bus could not be mapped).
    volatile u8* at(Address a, u16 offset, u16 width);
    u8* bus(u8 number);

    u64 base_ = 0;
    u8 start_ = 1;
    u8 end_ = 0;  // start_ > end_: no range yet
    ktl::optional<VmError> map_error_;
    u8* buses_[kBusCount] = {};  // written under lock_, read with __atomic loads
    kernel::Spinlock lock_;
};

}  // namespace drivers::pci
