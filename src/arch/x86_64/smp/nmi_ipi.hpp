// The two requests one CPU makes of all the others by NMI: drop a range from
// your TLB (shoot_down), and stop for good (stop_other_cpus, arch.hpp).
// NMI, not a fixed vector: the page-table edit that needs a shootdown runs
// under the kernel address-space lock with interrupts off, and another CPU
// may be spinning for that lock with interrupts off too; only an NMI reaches
// it. Design: docs/smp.md.
#pragma once

#include "lib/address.hpp"

namespace arch::smp {

// Drops [range) from the TLB of every other online CPU and returns once
// all have; a CPU that does not answer in kShootdownTimeoutUs is a panic
// naming it. The caller has already invalidated its own TLB.
void shoot_down(VirtRange range);
inline constexpr u64 kShootdownTimeoutUs = 2'000'000;

// Sends an NMI to online CPU `index`, counted: the target's NMI handler
// then knows an NMI some CPU sent is due, even when the request it carried
// was already served by an earlier NMI (the hard-lockup watchdog's HPET
// NMI, or another request, ran first and saw the request's flag). False
// when the local APIC did not send it.
[[nodiscard]] bool send_nmi(u32 index);
// Called for every NMI: true when an NMI sent by send_nmi() is accounted
// for by this one (NMIs that arrive together merge: a count left over is
// taken by the next NMI).
[[nodiscard]] bool take_sent_nmi();

// Called first for every NMI: true when it was one of the requests above
// (a stop never returns); false for an NMI nobody asked for.
[[nodiscard]] bool handle_nmi_request();

// Shootdowns sent and answered since boot, for the self-tests.
[[nodiscard]] u64 shootdown_count();

}  // namespace arch::smp
