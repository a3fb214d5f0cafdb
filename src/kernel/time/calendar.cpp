#include "kernel/time/calendar.hpp"

namespace kernel::time {

namespace {

constexpr u64 kSecondsPerDay = 86'400;

// Days before `month` in a year that is not a leap year.
constexpr u16 kDaysBeforeMonth[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

// Leap days in the years [1970, year).
u64 leap_days_before(u32 year) {
    const u32 y = year - 1;
    const auto count = [](u32 n) { return n / 4 - n / 100 + n / 400; };
    return count(y) - count(1969);
}

}  // namespace

bool leap_year(u32 year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

u8 days_in_month(u32 year, u32 month) {
    constexpr u8 kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12) return 0;
    return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

bool valid(const DateTime& d) {
    return d.year >= 1970 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
           d.day <= days_in_month(d.year, d.month) && d.hour < 24 && d.minute < 60 && d.second < 60;
}

u64 to_unix_seconds(const DateTime& d) {
    u64 days = u64{d.year - 1970U} * 365 + leap_days_before(d.year);
    days += kDaysBeforeMonth[d.month - 1] + (d.month > 2 && leap_year(d.year) ? 1 : 0);
    days += d.day - 1U;
    return days * kSecondsPerDay + u64{d.hour} * 3600 + u64{d.minute} * 60 + d.second;
}

DateTime from_unix_seconds(u64 seconds) {
    u64 days = seconds / kSecondsPerDay;
    const u64 rest = seconds % kSecondsPerDay;
    u32 year = 1970;
    // A year at a time: the kernel asks for dates near now, a few dozen
    // iterations from 1970.
    for (;;) {
        const u64 length = leap_year(year) ? 366 : 365;
        if (days < length) break;
        days -= length;
        ++year;
    }
    u32 month = 1;
    while (days >= days_in_month(year, month)) days -= days_in_month(year, month++);
    return {static_cast<u16>(year),          static_cast<u8>(month),
            static_cast<u8>(days + 1),       static_cast<u8>(rest / 3600),
            static_cast<u8>(rest / 60 % 60), static_cast<u8>(rest % 60)};
}

}  // namespace kernel::time
