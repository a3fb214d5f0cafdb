// Which ACPI event registers the Power phase writes so that the power button
// is the only source of the SCI (ACPI 6.5 §4.8.3.1 "PM1 Event Grouping";
// ACPI 6.4 §4.8.5.1 "General-Purpose Event Register Blocks"). Keel has no
// AML interpreter, so no general-purpose event and no fixed event but the
// button can be serviced: an enable bit the firmware left set would let a
// level-triggered SCI fire again and again until the storm detector masks
// the line, and the button with it. Decided from the FADT alone, so the
// host tests can say which registers get which values.
#pragma once

#include "kernel/acpi/fadt.hpp"
#include "kernel/power/pm1.hpp"

namespace kfmt {
class Sink;
}

namespace kernel::power {

// `count` registers of `first`'s width, one after another from `first`,
// each written with `value`.
struct RegisterRun {
    Register first;
    u8 count = 1;
    u32 value = 0;

    [[nodiscard]] constexpr Register at(usize i) const {
        Register r = first;
        r.where.address += i * first.bytes;
        return r;
    }
};

// The writes, in order: every PM1 and GPE enable register to 0; every PM1
// status bit and GPE status register cleared (they are write-1-to-clear);
// then PM1 enable to exactly PWRBTN_EN. Nothing to write on a
// hardware-reduced machine (it has neither block).
struct EventSetup {
    static constexpr usize kMaxRuns = 10;
    RegisterRun runs[kMaxRuns];
    usize count = 0;
};

[[nodiscard]] EventSetup plan_event_setup(const acpi::Fadt& fadt);

// "GPE0 io 0xafe0, 2+2 registers; no GPE1", for the boot log.
void describe_gpe_blocks(const acpi::Fadt& fadt, kfmt::Sink& out);

}  // namespace kernel::power
