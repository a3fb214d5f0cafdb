// What one SCI does with the PM1 status bits it acknowledged: the power
// button powers off; any other event is named in the log, but only at the
// first SCI that finds one, since nothing services those events and a
// level-triggered source would otherwise fill the log (docs/power.md "The
// power button").
//
// Hardware-independent: host-tested in tests/host/power_events_test.cpp;
// drivers/power/power.cpp reads and acknowledges the registers.
#pragma once

#include "kernel/power/pm1.hpp"
#include "lib/ktl/types.hpp"

namespace kernel::power {

struct SciOutcome {
    u16 others_to_log;  // PM1 status bits besides the button, 0: log nothing
    bool power_button;  // PWRBTN_STS was among them: power off
};

// Owned by the driver's SCI handler. Any CPU may take the SCI, and the
// handler may also be polled (poll_power_button): the "logged" flag is
// claimed by one atomic exchange, so two CPUs never both log, and no lock
// is taken in the interrupt handler.
class SciEvents {
public:
    [[nodiscard]] SciOutcome take(u16 pending) {
        const u16 others = pending & static_cast<u16>(~pm1_status::kPowerButton);
        const bool log =
            others != 0 && !__atomic_exchange_n(&other_logged_, true, __ATOMIC_RELAXED);
        return {log ? others : u16{0}, (pending & pm1_status::kPowerButton) != 0};
    }

private:
    bool other_logged_ = false;
};

}  // namespace kernel::power
