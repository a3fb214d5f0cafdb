// The CMOS real-time clock's registers turned into a date (the MC146818
// layout every PC keeps: registers 00h-09h, status B at 0Bh). What the
// registers mean depends on status B: BCD or binary digits (DM bit), 12- or
// 24-hour (24/12 bit; in 12-hour mode bit 7 of the hour is PM and hours run
// 12, 1, ..., 11). The century comes from the register the FADT names, when
// it names one; else the year is taken to be 20xx. Hardware-independent:
// host-tested; cmos_rtc.cpp reads the ports.
#pragma once

#include "kernel/time/calendar.hpp"
#include "lib/ktl/string_view.hpp"
#include "lib/result.hpp"

namespace drivers::rtc {

inline constexpr u8 kStatusBBinary = 1U << 2;  // DM: 1 = binary, 0 = BCD
inline constexpr u8 kStatusB24Hour = 1U << 1;  // 1 = 24-hour mode
inline constexpr u8 kHourPm = 1U << 7;         // 12-hour mode: PM

struct Registers {
    u8 seconds;
    u8 minutes;
    u8 hours;
    u8 day;
    u8 month;
    u8 year;  // 0-99
    u8 status_b;
    bool has_century;  // the FADT's CENTURY names a register
    u8 century;        // its contents, in the same digits as the others
};

// Whether the FADT's CENTURY (non-zero) can be a CMOS byte to read: not
// one of the clock's own registers (00h-0Dh) and below 80h, since bit 7 of
// the index port masks NMIs on PC chipsets, and a read would leave them
// masked. Firmware puts it at 32h.
[[nodiscard]] constexpr bool valid_century_register(u8 index) {
    return index >= 0x0E && index < 0x80;
}

// The date the registers hold, or what is wrong with them ("the month is
// 13", "0x1a is not a BCD number").
[[nodiscard]] Result<kernel::time::DateTime, ktl::string_view> decode(const Registers& r);

}  // namespace drivers::rtc
