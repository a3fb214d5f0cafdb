// The words of the debug lock's immediate reports (KEEL_DEBUG_LOCKS,
// lock_debug.hpp): the caller has symbolized the lock and the sites
// ("function+0x1c", or a bare address), these say what is wrong and what
// to do about it. Kept apart from the lock so the host tests check the text
// (tests/host/lock_rules_test.cpp).
#pragma once

#include "lib/format/sink.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::lock_debug {

// The function a symbolized site is in: "f()+0x1c" gives "f()"; a site no
// symbol covered (no "+0x") is returned whole.
[[nodiscard]] ktl::string_view function_of(ktl::string_view site);

// A lock an interrupt handler waits for (at `handler`) that is also taken
// with interrupts on (at `interrupts_on`):
//   lock L is taken by an interrupt handler at H and with interrupts on at
//   G+0x2a: an interrupt arriving while G holds it deadlocks this CPU (hold
//   it with IrqSaveSpinlockGuard)
void write_irq_unsafe(kfmt::Sink& out, ktl::string_view lock, ktl::string_view handler,
                      ktl::string_view interrupts_on);

// lock() by the CPU that holds the lock already:
//   lock L taken again by CPU n at S, which already holds it from H
void write_recursion(kfmt::Sink& out, ktl::string_view lock, u32 cpu, ktl::string_view site,
                     ktl::string_view holder);

}  // namespace kernel::lock_debug
