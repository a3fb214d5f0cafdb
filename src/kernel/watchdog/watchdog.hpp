// The hard-lockup watchdog: a CPU that spins with interrupts off is
// reported (a panic with its interrupted code's backtrace), not a silent
// hang. Implemented by the arch layer (arch/x86_64/watchdog/), started by
// init (src/init/watchdog.cpp); design in docs/interrupts.md, "Watchdog".
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::watchdog {

// Linux's watchdog_thresh; watchdog=<seconds> (1..60) or watchdog=off.
inline constexpr u32 kDefaultSeconds = 10;
inline constexpr u32 kMinSeconds = 1;
inline constexpr u32 kMaxSeconds = 60;

// A second source of interrupts that reaches the boot CPU with interrupts
// off: an NMI every `period_ms`. `claim` runs in the boot CPU's NMI
// handler (no locks, no waiting) and says whether the NMI was this
// source's (and readies the next one); `stop`, called there too once a
// panic is in progress, ends the NMIs, so the halted CPU stays halted.
struct NmiSource {
    ktl::string_view name;  // "an HPET NMI"
    u32 period_ms = 0;
    bool (*claim)() = nullptr;
    void (*stop)() = nullptr;
};

// Starts watching: from now on each CPU's tick checks the next online
// CPU's heartbeat, and `source` (null: none) lets the boot CPU check its
// own. A CPU stuck for `seconds` is asked by NMI to report itself.
void start(u32 seconds, const NmiSource* source);

// The threshold in seconds, 0 while the watchdog is off.
[[nodiscard]] u32 threshold_seconds();

}  // namespace kernel::watchdog
