#include "drivers/rtc/cmos_rtc.hpp"

#include "arch/arch.hpp"
#include "arch/io.hpp"
#include "kernel/sync/guard.hpp"
#include "kernel/sync/spinlock.hpp"

namespace drivers::rtc {

namespace {

constexpr arch::Port kIndex{0x70};
constexpr arch::Port kData{0x71};
// Bit 7 of the index port masks NMIs on old chipsets; it is kept clear
// (as Linux does) so reading the clock never masks them.
constexpr u8 kSeconds = 0x00, kMinutes = 0x02, kHours = 0x04, kDay = 0x07, kMonth = 0x08,
             kYear = 0x09, kStatusA = 0x0A, kStatusB = 0x0B;
constexpr u8 kUpdateInProgress = 1U << 7;  // status A: the registers are changing
// The chip updates once a second and UIP is set for under 2 ms of it
// (244 us of warning, then the update); a clock that stays busy 5 times
// that is broken (or absent: the bus reads 0xFF, UIP set).
constexpr u64 kMaxBusyUs = 10'000;
constexpr u32 kMaxAttempts = 8;

// The index/data pair is one shared register window: whoever selects an
// index must read its data before anyone selects another. The lock makes
// that so; interrupts are off while it is held so that a handler that
// reads the CMOS one day cannot deadlock against this.
kernel::Spinlock g_cmos_lock;

u8 read_register(u8 index) {
    arch::out8(kIndex, index & 0x7F);  // never the NMI mask bit
    return arch::in8(kData);
}

bool wait_until_not_updating() {
    arch::Timeout timeout(kMaxBusyUs);
    do {
        if ((read_register(kStatusA) & kUpdateInProgress) == 0) return true;
    } while (!timeout.expired());
    return false;
}

Registers read_all(u8 century_register) {
    Registers r{};
    r.seconds = read_register(kSeconds);
    r.minutes = read_register(kMinutes);
    r.hours = read_register(kHours);
    r.day = read_register(kDay);
    r.month = read_register(kMonth);
    r.year = read_register(kYear);
    r.status_b = read_register(kStatusB);
    r.has_century = century_register != 0;
    if (r.has_century) r.century = read_register(century_register);
    return r;
}

bool same(const Registers& a, const Registers& b) {
    return a.seconds == b.seconds && a.minutes == b.minutes && a.hours == b.hours &&
           a.day == b.day && a.month == b.month && a.year == b.year && a.status_b == b.status_b &&
           a.century == b.century;
}

}  // namespace

Result<kernel::time::DateTime, ktl::string_view> read_date(u8 century_register) {
    const kernel::IrqSaveSpinlockGuard guard(g_cmos_lock);
    if (!wait_until_not_updating())
        return ktl::string_view{"the clock stays busy (update in progress)"};
    Registers previous = read_all(century_register);
    for (u32 attempt = 0; attempt < kMaxAttempts; ++attempt) {
        if (!wait_until_not_updating())
            return ktl::string_view{"the clock stays busy (update in progress)"};
        const Registers current = read_all(century_register);
        if (same(previous, current)) return decode(current);
        previous = current;
    }
    return ktl::string_view{"the clock's registers keep changing"};
}

}  // namespace drivers::rtc
