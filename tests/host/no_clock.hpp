// Plays a machine with no counter at all, for the test that holds it: each
// arch::Timeout begun meanwhile counts its expired() calls as ~1 us steps
// (arch::Timeout's last case, docs/time.md "Bounded waits"), so a wait's
// length is a number of checks, counted exactly.
#pragma once

#include "arch/arch.hpp"

namespace test {

class NoClock {
public:
    NoClock() { arch::host::wait_steps = true; }
    NoClock(const NoClock&) = delete;
    NoClock& operator=(const NoClock&) = delete;
    NoClock(NoClock&&) = delete;
    NoClock& operator=(NoClock&&) = delete;
    ~NoClock() { arch::host::wait_steps = false; }
};

}  // namespace test
