// The High Precision Event Timer's main counter (IA-PC HPET specification
// 1.0a): a free-running counter of at least 10 MHz at a fixed, stated
// period, the best reference a PC has to measure the TSC against. Found
// through the ACPI HPET table, mapped uncached.
//
// The first HPET block is set up once at boot (before interrupts and other
// CPUs) and read-only afterwards: reading the counter needs no lock. The
// comparators are driven by comparator.hpp (the local APIC timer gives the
// kernel's own timer events).
#pragma once

#include "drivers/hpet/capabilities.hpp"
#include "kernel/acpi/hpet.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/result.hpp"

namespace drivers::hpet {

// The register block's size (kernel/acpi/hpet.hpp).
inline constexpr u64 kBlockBytes = kernel::acpi::kHpetRegisterBytes;

// Maps the block the table names, checks its capabilities and starts the
// main counter; logs `hpet: 0xfed00000, 100.000 MHz, 3 timers, 64-bit`.
// Fails with the reason (and the HPET stays unusable).
Result<void, ktl::string_view> init(const kernel::acpi::Hpet& table);

// Whether init succeeded.
[[nodiscard]] bool present();
[[nodiscard]] const Capabilities& capabilities();

// The main counter (32 or 64 bits wide: differences must be taken modulo
// its width, see kernel::time::counter_mask). 0 without an HPET.
[[nodiscard]] u64 read_counter();

// A register of the block (offsets in capabilities.hpp, timer_registers.hpp),
// for the comparator driver; only once present().
[[nodiscard]] u64 read_register(usize offset);
void write_register(usize offset, u64 value);
// Timer `timer`'s comparator as wide as the timer is (TimerCaps::wide): a
// 32-bit timer's is written with a 32-bit store and read masked, since its
// upper half is not the comparator's.
[[nodiscard]] u64 read_timer_comparator(u8 timer, bool wide);
void write_timer_comparator(u8 timer, u64 value, bool wide);

}  // namespace drivers::hpet
