#include "drivers/rtc/rtc_decode.hpp"

namespace drivers::rtc {

namespace {

// A register's value in binary, or false when it is not a number in the
// clock's digits (a BCD nibble above 9).
bool number(u8 raw, bool binary, u8& out) {
    if (binary) {
        out = raw;
        return true;
    }
    if ((raw & 0x0F) > 9 || (raw >> 4) > 9) return false;
    out = static_cast<u8>((raw >> 4) * 10 + (raw & 0x0F));
    return true;
}

}  // namespace

Result<kernel::time::DateTime, ktl::string_view> decode(const Registers& r) {
    const bool binary = (r.status_b & kStatusBBinary) != 0;
    const bool hours24 = (r.status_b & kStatusB24Hour) != 0;
    const bool pm = !hours24 && (r.hours & kHourPm) != 0;
    const u8 raw_hours = hours24 ? r.hours : static_cast<u8>(r.hours & ~kHourPm);
    u8 seconds = 0;
    u8 minutes = 0;
    u8 hours = 0;
    u8 day = 0;
    u8 month = 0;
    u8 year = 0;
    u8 century = 20;  // without a century register: 20xx
    // Every register decoded, then one test (&= rather than ||): no branch
    // per register, code that QEMU's TCG would translate block by block.
    bool numbers = number(r.seconds, binary, seconds);
    numbers &= number(r.minutes, binary, minutes);
    numbers &= number(raw_hours, binary, hours);
    numbers &= number(r.day, binary, day);
    numbers &= number(r.month, binary, month);
    numbers &= number(r.year, binary, year);
    if (r.has_century) numbers &= number(r.century, binary, century);
    if (!numbers) return ktl::string_view{"a register is not a BCD number"};
    if (!hours24) {
        if (hours < 1 || hours > 12)
            return ktl::string_view{"the 12-hour clock's hour is not 1-12"};
        // 12 AM is midnight (0), 12 PM is noon (12).
        hours = static_cast<u8>(hours % 12 + (pm ? 12 : 0));
    }
    if (year > 99) return ktl::string_view{"the year is above 99"};
    if (century < 19 || century > 99) return ktl::string_view{"the century is not 19-99"};
    const kernel::time::DateTime date{
        static_cast<u16>(century * 100U + year), month, day, hours, minutes, seconds};
    if (date.month < 1 || date.month > 12) return ktl::string_view{"the month is not 1-12"};
    if (date.day < 1 || date.day > kernel::time::days_in_month(date.year, date.month))
        return ktl::string_view{"the day does not exist in that month"};
    if (date.hour > 23 || date.minute > 59 || date.second > 59)
        return ktl::string_view{"the time of day is out of range"};
    if (!kernel::time::valid(date)) return ktl::string_view{"the year is before 1970"};
    return date;
}

}  // namespace drivers::rtc
