// Dates in the proleptic Gregorian calendar and UTC seconds since
// 1970-01-01 (the Unix epoch), without leap seconds: what the wall clock
// keeps and prints. Hardware-independent: host-tested.
#pragma once

#include "lib/ktl/types.hpp"

namespace kernel::time {

struct DateTime {
    u16 year;   // 1970 and later
    u8 month;   // 1-12
    u8 day;     // 1-31
    u8 hour;    // 0-23
    u8 minute;  // 0-59
    u8 second;  // 0-59
    friend constexpr bool operator==(const DateTime&, const DateTime&) = default;
};

[[nodiscard]] bool leap_year(u32 year);
[[nodiscard]] u8 days_in_month(u32 year, u32 month);

// Whether every field is in range (the day for its month and year).
[[nodiscard]] bool valid(const DateTime& date);

// Seconds since 1970-01-01 00:00:00 UTC; `date` must be valid.
[[nodiscard]] u64 to_unix_seconds(const DateTime& date);
[[nodiscard]] DateTime from_unix_seconds(u64 seconds);

}  // namespace kernel::time
