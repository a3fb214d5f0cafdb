#include "arch/x86_64/apic/io_apic.hpp"

#include "arch/arch.hpp"
#include "kernel/log/log.hpp"
#include "kernel/sync/guard.hpp"

namespace arch {

namespace {
// Each chip's registers, mapped by the first to ask. Owner: the boot CPU in
// the boot phases (the ACPI report, then the Interrupts phase): no lock.
u64 g_mapped_phys[kernel::acpi::Madt::kMaxIoApics];
volatile u32* g_mapped_registers[kernel::acpi::Madt::kMaxIoApics];
usize g_mapped_count = 0;

// The chip's registers (its 0x20 bytes at `phys`), mapped uncached once for
// everyone who asks (the ACPI report, then the driver), or why not, before
// anything is written: where map_mmio refuses (RAM, the interrupt-message
// range), or where apic::io_apic_address_problem says it cannot be a chip.
Result<volatile u32*, ktl::string_view> registers_of(PhysAddr phys) {
    for (usize i = 0; i < g_mapped_count; ++i)
        if (g_mapped_phys[i] == phys.value()) return g_mapped_registers[i];
    const ktl::string_view problem =
        apic::io_apic_address_problem(phys.value(), {g_mapped_phys, g_mapped_count});
    if (!problem.empty()) return problem;
    const Result<u8*, VmError> m =
        map_mmio(PhysRange::from_size(phys, apic::kIoApicRegisterBytes), CacheType::Uncached);
    if (!m) return ktl::string_view{describe(m.error())};
    auto* registers = reinterpret_cast<volatile u32*>(*m);
    // More chips than the MADT keeps cannot be asked for; one more is
    // mapped all the same, only not remembered.
    if (g_mapped_count < kernel::acpi::Madt::kMaxIoApics) {
        g_mapped_phys[g_mapped_count] = phys.value();
        g_mapped_registers[g_mapped_count++] = registers;
    }
    return registers;
}

// IOREGSEL at +0x00, IOWIN at +0x10 (82093AA datasheet, 3.2.2).
constexpr u32 kSelect = 0x00 / 4;
constexpr u32 kWindow = 0x10 / 4;
constexpr u32 kVersionRegister = 0x01;
constexpr u32 kAllOnes = 0xFFFF'FFFF;  // nothing decodes the address

// Bits 23:16 of the version register: the highest redirection entry.
constexpr u32 inputs_in(u32 version) { return ((version >> 16) & 0xFF) + 1; }
}  // namespace

Result<u32, ktl::string_view> io_apic_inputs(PhysAddr phys) {
    const Result<volatile u32*, ktl::string_view> registers = registers_of(phys);
    if (!registers) return registers.error();
    (*registers)[kSelect] = kVersionRegister;
    const u32 version = (*registers)[kWindow];
    return version == kAllOnes ? 0 : inputs_in(version);
}

}  // namespace arch

namespace arch::ioapic {

namespace {

constexpr u32 kRedirectionBase = 0x10;

// All chips' locks are one class for the lock-order check
// (kernel/sync/lock_class.hpp): an order seen with one chip holds for all.
constinit kernel::LockClass g_chip_locks{"I/O APIC"};

struct Chip {
    volatile u32* registers = nullptr;
    kernel::Spinlock lock{g_chip_locks};  // the select/window pair
};

// Filled once by init() on the boot CPU; `g_chips[i]` serves g_ranges[i].
Chip g_chips[kernel::acpi::Madt::kMaxIoApics];
apic::IoApicRange g_ranges[kernel::acpi::Madt::kMaxIoApics];
usize g_count = 0;

u32 read_register(Chip& chip, u32 index) {
    chip.registers[kSelect] = index;
    return chip.registers[kWindow];
}
void write_register(Chip& chip, u32 index, u32 value) {
    chip.registers[kSelect] = index;
    chip.registers[kWindow] = value;
}

struct Input {
    Chip* chip;
    u32 pin;
};
ktl::optional<Input> input_for(u32 gsi) {
    const ktl::optional<usize> i = apic::io_apic_for(gsi, {g_ranges, g_count});
    if (!i) return ktl::nullopt;
    return Input{&g_chips[*i], gsi - g_ranges[*i].gsi_base};
}

// Whether a chip already taken has these registers: registers_of gives one
// address one mapping, so a MADT entry repeating an address would have the
// same chip programmed twice.
bool registers_taken(const volatile u32* registers) {
    for (usize i = 0; i < g_count; ++i)
        if (g_chips[i].registers == registers) return true;
    return false;
}

}  // namespace

Summary init(const kernel::acpi::Madt& madt) {
    Summary summary{};
    for (usize i = 0; i < madt.io_apic_count; ++i) {
        const kernel::acpi::IoApic& listed = madt.io_apics[i];
        const Result<volatile u32*, ktl::string_view> mapped =
            registers_of(PhysAddr{listed.address});
        if (!mapped) {
            kernel::log::warn("ioapic {} at {:#x}: not used: {}", listed.id, listed.address,
                              mapped.error());
            ++summary.failed;
            continue;
        }
        if (registers_taken(*mapped)) {
            kernel::log::warn(
                "ioapic {} at {:#x}: not used: another I/O APIC at that address is used", listed.id,
                listed.address);
            ++summary.failed;
            continue;
        }
        Chip& chip = g_chips[g_count];
        chip.registers = *mapped;
        const u32 version = read_register(chip, kVersionRegister);
        const u32 inputs = inputs_in(version);
        if (version == kAllOnes) {
            kernel::log::warn("ioapic {} at {:#x}: reads all ones: no chip there", listed.id,
                              listed.address);
            ++summary.failed;
            continue;
        }
        if (apic::gsis_overlap(listed.gsi_base, inputs, {g_ranges, g_count})) {
            kernel::log::warn("ioapic {} at {:#x}: not used: its GSIs {}-{} overlap another's",
                              listed.id, listed.address, listed.gsi_base,
                              u64{listed.gsi_base} + inputs - 1);
            ++summary.failed;
            continue;
        }
        for (u32 pin = 0; pin < inputs; ++pin) {
            write_register(chip, kRedirectionBase + 2 * pin,
                           static_cast<u32>(apic::kRedirectionMasked));
            write_register(chip, kRedirectionBase + 2 * pin + 1, 0);
        }
        g_ranges[g_count] = {listed.gsi_base, inputs};
        ++g_count;
        summary.inputs += inputs;
    }
    summary.count = g_count;
    return summary;
}

usize count() { return g_count; }
bool serves(u32 gsi) { return input_for(gsi).has_value(); }

void program(u32 gsi, const apic::Redirection& entry) {
    const ktl::optional<Input> in = input_for(gsi);
    if (!in) return;
    const u64 value = apic::encode(entry);
    const kernel::IrqSaveSpinlockGuard hold(in->chip->lock);
    // Masked while the halves disagree, then the low half (with the
    // wanted mask bit) last.
    write_register(*in->chip, kRedirectionBase + 2 * in->pin,
                   static_cast<u32>(apic::kRedirectionMasked));
    write_register(*in->chip, kRedirectionBase + 2 * in->pin + 1, static_cast<u32>(value >> 32));
    write_register(*in->chip, kRedirectionBase + 2 * in->pin, static_cast<u32>(value));
}

void set_masked(u32 gsi, bool masked) {
    const ktl::optional<Input> in = input_for(gsi);
    if (!in) return;
    const kernel::IrqSaveSpinlockGuard hold(in->chip->lock);
    const u32 index = kRedirectionBase + 2 * in->pin;
    u32 low = read_register(*in->chip, index);
    low = masked ? low | static_cast<u32>(apic::kRedirectionMasked)
                 : low & ~static_cast<u32>(apic::kRedirectionMasked);
    write_register(*in->chip, index, low);
}

u64 read_entry(u32 gsi) {
    const ktl::optional<Input> in = input_for(gsi);
    if (!in) return 0;
    const kernel::IrqSaveSpinlockGuard hold(in->chip->lock);
    const u32 index = kRedirectionBase + 2 * in->pin;
    const u64 low = read_register(*in->chip, index);
    const u64 high = read_register(*in->chip, index + 1);
    return (high << 32) | low;
}

}  // namespace arch::ioapic
