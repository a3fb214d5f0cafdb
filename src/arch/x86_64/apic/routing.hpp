// I/O APIC routing, hardware-independent (host-tested in
// tests/host/apic_test.cpp): which GSI, trigger and polarity an ISA IRQ
// has once the MADT's interrupt source overrides are applied, which I/O
// APIC serves a GSI, and the redirection entry that sends it to a vector
// (82093AA datasheet, 3.2.4; facts in ../shared/notes/platform-facts.md 3.3).
#pragma once

#include "kernel/acpi/madt.hpp"
#include "kernel/irq/irq.hpp"
#include "lib/ktl/optional.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace arch::apic {

using kernel::irq::Polarity;
using kernel::irq::Trigger;

struct IsaRoute {
    u32 gsi;
    Trigger trigger;
    Polarity polarity;
    bool overridden;  // an override named this IRQ
};

// ISA IRQ `irq` (0-15) through `overrides` (bus 0 entries only). An
// override's "conforming" (bus default) or reserved polarity or trigger
// leaves the caller's default. Without an override the IRQ is identity
// mapped, unless another IRQ's override took that GSI (QEMU: IRQ 0 -> GSI 2
// leaves IRQ 2, the PIC cascade, without a line): then none.
[[nodiscard]] ktl::optional<IsaRoute> route_isa(
    u8 irq, ktl::span<const kernel::acpi::InterruptOverride> overrides, Trigger default_trigger,
    Polarity default_polarity);

// The GSIs an I/O APIC serves: [gsi_base, gsi_base + inputs).
struct IoApicRange {
    u32 gsi_base;
    u32 inputs;
};
// Which of `ranges` holds `gsi`, by index.
[[nodiscard]] ktl::optional<usize> io_apic_for(u32 gsi, ktl::span<const IoApicRange> ranges);
// Whether [gsi_base, gsi_base + inputs) shares a GSI with any of `taken`
// (in 64 bits: a hostile base near 2^32 must not wrap): each GSI must have
// one input, or routing by GSI would program the wrong chip.
[[nodiscard]] bool gsis_overlap(u32 gsi_base, u32 inputs, ktl::span<const IoApicRange> taken);

using kernel::acpi::kIoApicRegisterBytes;  // its 16-byte aligned registers
// Why the MADT's I/O APIC at `address` cannot be one beside the chips whose
// registers are mapped at `mapped` ("" when it can), decided before any of
// its registers is written: not 16-byte aligned, or its registers overlapping
// another chip's (its select register would be that chip's window). The
// same address as a mapped chip is no problem here: the mapping is shared.
[[nodiscard]] ktl::string_view io_apic_address_problem(u64 address, ktl::span<const u64> mapped);

// A redirection entry with fixed delivery to one CPU in physical
// destination mode, or NMI delivery (the vector is then ignored, and the
// entry must be edge-triggered: 82093AA datasheet, 3.2.4, delivery mode
// 100).
struct Redirection {
    u8 vector = 0;
    Trigger trigger = Trigger::Edge;
    Polarity polarity = Polarity::ActiveHigh;
    bool masked = false;
    u8 destination = 0;  // the CPU's APIC ID
    bool nmi = false;
};
inline constexpr u64 kRedirectionMasked = u64{1} << 16;
inline constexpr u64 kRedirectionLevel = u64{1} << 15;
inline constexpr u64 kRedirectionActiveLow = u64{1} << 13;
inline constexpr u64 kRedirectionDeliveryMask = u64{7} << 8;
inline constexpr u64 kRedirectionNmi = u64{4} << 8;  // delivery mode 100
[[nodiscard]] u64 encode(const Redirection& entry);
[[nodiscard]] Redirection decode(u64 entry);

// "edge, high", for the log.
[[nodiscard]] const char* trigger_name(Trigger trigger);
[[nodiscard]] const char* polarity_name(Polarity polarity);

}  // namespace arch::apic
