// The wall clock's start: the CMOS clock read once at boot (its century
// register from the FADT), logged as `date: 2026-11-29 14:03:12 UTC`, and
// handed to kernel/time/wall_clock.hpp, which advances it with the
// monotonic clock. The CMOS clock is taken to keep UTC, as QEMU's does by
// default and as Linux expects.
#pragma once

#include "kernel/acpi/platform.hpp"

namespace init {

// `platform`: what the ACPI phase read, nullptr without ACPI.
void read_wall_clock(const kernel::acpi::Platform* platform);

}  // namespace init
