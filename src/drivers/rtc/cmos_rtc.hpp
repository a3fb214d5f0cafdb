// The PC's battery-backed CMOS clock, read through its index/data port
// pair (0x70/0x71). The decoding is rtc_decode.hpp's.
#pragma once

#include "drivers/rtc/rtc_decode.hpp"
#include "kernel/time/calendar.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/result.hpp"

namespace drivers::rtc {

// Reads the clock: waits (bounded) for an update in progress to end, then
// reads every register until two readings in a row agree, so that a
// rollover between two registers (23:59:59 -> 00:00:00) is never seen half
// done. `century_register` is the FADT's CENTURY (0: none). Fails with the
// reason when the clock never settles or holds no valid date.
[[nodiscard]] Result<kernel::time::DateTime, ktl::string_view> read_date(u8 century_register);

}  // namespace drivers::rtc
