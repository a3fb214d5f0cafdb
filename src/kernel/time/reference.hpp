// The independent witness of time: the HPET's main counter when there is
// one, else the ACPI PM timer. Every timing in the kernel reads the TSC,
// whose rate was measured against this counter once at boot; tests that
// must not take the TSC's word for it (that a sleep lasted 100 ms, say)
// read this counter as well. Set once by the Clock phase, before
// interrupts and other CPUs; read-only afterwards, so reading needs no lock.
#pragma once

#include "lib/ktl/string_view.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::time {

struct ReferenceCounter {
    ktl::string_view name;  // "HPET", "ACPI PM timer": for the log
    u64 (*read)() = nullptr;
    u32 bits = 0;  // the counter wraps modulo 2^bits
    u64 hz = 0;
};

// Records the reference; later calls are ignored (the first one, the
// better counter, stays). A counter with no read function or rate is
// refused.
void set_reference_counter(const ReferenceCounter& counter);

// The reference, or nullptr when the machine has neither counter.
[[nodiscard]] const ReferenceCounter* reference_counter();

// Microseconds from reading `start` to reading `end` of `counter` (at most
// one wrap in between).
[[nodiscard]] u64 reference_elapsed_us(const ReferenceCounter& counter, u64 start, u64 end);

}  // namespace kernel::time
