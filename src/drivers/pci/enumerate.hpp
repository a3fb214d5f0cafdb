// Finding every PCI function: bus 0, then every bus a PCI-to-PCI bridge
// leads to (its secondary bus number, as the firmware assigned it), every
// function of multifunction devices. Hardware-independent: it sees the
// configuration space only through ConfigAccess, and is tested on the host
// against fake ones (tests/host/pci_test.cpp, tests/fuzz/pci_fuzz.cpp).
//
// Hostile or broken configuration spaces cannot make it loop or run long:
// each bus is scanned at most once (a bridge back to its own bus, or to a
// bus already reached, is reported and not followed), capability lists are
// walked at most kMaxCapabilityHops entries and never revisit an entry, and
// the whole walk stops after kMaxAccesses configuration accesses.
#pragma once

#include "drivers/pci/config_access.hpp"
#include "drivers/pci/function.hpp"
#include "lib/ktl/span.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace drivers::pci {

// (256 - 64) / 4: the most capability entries a 256-byte space can hold.
inline constexpr u32 kMaxCapabilityHops = 48;
// A real machine needs a few thousand (8192 for 256 empty buses); a space
// that answers everywhere stops here instead of after 65536 functions.
inline constexpr u32 kMaxAccesses = 1U << 20;

enum class ProblemKind : u8 {
    BridgeToItself,     // secondary bus == the bridge's own bus
    BusReachedTwice,    // secondary bus already scanned or queued
    BridgeUnassigned,   // secondary bus 0: the firmware left it unconfigured
    BadBusRange,        // subordinate bus below the secondary bus
    CapabilityLoop,     // the capability list points back into itself
    CapabilityTooLong,  // more than kMaxCapabilityHops entries
    Bar64InLastSlot,    // a 64-bit BAR without a next BAR for its upper half
    TooManyFunctions,   // more functions than the caller's array holds
    AccessBudgetSpent,  // kMaxAccesses reached: the walk stopped early
};

// "a bridge whose secondary bus is its own bus", ...
[[nodiscard]] ktl::string_view problem_text(ProblemKind kind);

struct Problem {
    ProblemKind kind{};
    Address where{};  // the function concerned
    u8 bus = 0;       // the bus number involved (bridges), else 0
};

struct Enumeration {
    u32 functions = 0;  // found; the first kept of them are in the caller's array, sorted
    u32 kept = 0;
    u32 buses_scanned = 0;
    u32 accesses = 0;
    static constexpr u32 kMaxProblems = 16;
    u32 problem_count = 0;  // kept in problems[]
    u32 problems_total = 0;
    Problem problems[kMaxProblems];

    u32 kinds_seen = 0;  // bit per ProblemKind, including problems not kept

    [[nodiscard]] bool has(ProblemKind kind) const {
        return (kinds_seen & (1U << static_cast<u32>(kind))) != 0;
    }
};

// Scans every reachable bus and fills `out` (sorted by bus, device,
// function). Sizes BARs by writing them, with the function's decoding
// turned off meanwhile: call it while nothing else uses the devices. A
// walk the budget cuts short leaves every device as it found it (a BAR
// probe runs whole or not at all). `max_accesses` is for tests, which cut
// the walk anywhere with a small one.
Enumeration enumerate(ConfigAccess& config, ktl::span<Function> out,
                      u32 max_accesses = kMaxAccesses);

// Reads one present function (the caller checked its vendor ID): what
// enumerate() records per function, counting accesses in `result`.
void read_function(ConfigAccess& config, Address address, Function& out, Enumeration& result);

}  // namespace drivers::pci
