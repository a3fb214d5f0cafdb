// Configuration mechanism #1: the address of a dword goes to port 0xCF8,
// its data comes and goes through 0xCFC-0xCFF. Two accesses make one, so
// the pair is a shared resource: a lock serialises them across CPUs, taken
// with interrupts off so that an interrupt handler's access cannot land
// between another's address and data.
#pragma once

#include "drivers/pci/config_access.hpp"
#include "kernel/sync/spinlock.hpp"

namespace drivers::pci {

class PortConfigAccess final : public ConfigAccess {
public:
    u8 read8(Address a, u16 offset) override;
    u16 read16(Address a, u16 offset) override;
    u32 read32(Address a, u16 offset) override;
    void write8(Address a, u16 offset, u8 value) override;
    void write16(Address a, u16 offset, u16 value) override;
    void write32(Address a, u16 offset, u32 value) override;
    [[nodiscard]] u16 size() const override { return 256; }
    [[nodiscard]] const char* name() const override { return "ports 0xcf8/0xcfc"; }

    // Whether mechanism #1 answers: 0xCF8 keeps a written address (a
    // machine without it floats the port). Must run before any other use.
    [[nodiscard]] bool present();

private:
    kernel::Spinlock lock_;
};

}  // namespace drivers::pci
